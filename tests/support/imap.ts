// The test IMAP server (dovecot, scripts/lib/test-services.ts): `npm test` starts it when
// dovecot-imapd is installed and sets TESSERA_TEST_IMAP_HOST, _PORT, _USER, _PASSWORD (and
// _OTHER_USER, _OTHER_PASSWORD for a second mailbox). For a local run:
// `npx tsx scripts/attachment-services.ts` prints them.
import { ImapFlow } from "imapflow";

export type ImapAccount = { host: string; port: number; user: string; password: string };

/** The help desk test mailbox, or with `other` the second account. */
export function imapAccount(which: "helpdesk" | "other" = "helpdesk"): ImapAccount {
  const env = process.env;
  const host = env.TESSERA_TEST_IMAP_HOST;
  const port = env.TESSERA_TEST_IMAP_PORT;
  const user = which === "other" ? env.TESSERA_TEST_IMAP_OTHER_USER : env.TESSERA_TEST_IMAP_USER;
  const password =
    which === "other" ? env.TESSERA_TEST_IMAP_OTHER_PASSWORD : env.TESSERA_TEST_IMAP_PASSWORD;
  if (!host || !port || !user || !password) {
    throw new Error(
      "TESSERA_TEST_IMAP_HOST/_PORT/_USER/_PASSWORD are not set: run through `npm test` " +
        "(with dovecot-imapd installed), or start `npx tsx scripts/attachment-services.ts` and " +
        "export what it prints",
    );
  }
  return { host, port: Number(port), user, password };
}

/** Runs `fn` on a fresh connection to the account, logging out afterwards. */
export async function withImap<T>(
  fn: (client: ImapFlow) => Promise<T>,
  account: ImapAccount = imapAccount(),
): Promise<T> {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: false,
    auth: { user: account.user, pass: account.password },
    logger: false,
    disableAutoIdle: true,
  });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Appends a raw message to `folder` (created when missing); returns its UID. */
export async function appendMessage(
  raw: string | Buffer,
  folder = "INBOX",
  account: ImapAccount = imapAccount(),
): Promise<number> {
  return withImap(async (client) => {
    await client.mailboxCreate(folder); // ALREADYEXISTS is not an error for imapflow
    const res = await client.append(folder, raw);
    if (!res || res.uid === undefined) throw new Error(`APPEND to ${folder} returned no UID`);
    return res.uid;
  }, account);
}

export type ListedMessage = { uid: number; flags: string[]; size: number };

/** The messages in `folder` (none when it does not exist), by UID, with their flags. */
export async function listFolder(
  folder = "INBOX",
  account: ImapAccount = imapAccount(),
): Promise<ListedMessage[]> {
  return withImap(async (client) => {
    const exists = (await client.list()).some((m) => m.path === folder);
    if (!exists) return [];
    const lock = await client.getMailboxLock(folder, { readOnly: true });
    try {
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const rows = await client.fetchAll("1:*", { uid: true, flags: true, size: true });
      return rows
        .map((m) => ({ uid: m.uid, flags: [...(m.flags ?? [])].sort(), size: m.size ?? 0 }))
        .sort((a, b) => a.uid - b.uid);
    } finally {
      lock.release();
    }
  }, account);
}

/** Empties INBOX and deletes every other folder of the account. */
export async function clearMailbox(account: ImapAccount = imapAccount()): Promise<void> {
  await withImap(async (client) => {
    for (const box of await client.list()) {
      if (box.path.toUpperCase() === "INBOX") continue;
      await client.mailboxDelete(box.path);
    }
    const lock = await client.getMailboxLock("INBOX");
    try {
      if (client.mailbox && client.mailbox.exists > 0) {
        await client.messageDelete("1:*");
      }
    } finally {
      lock.release();
    }
  }, account);
}

/** A small RFC 5322 message; `extra` bytes of body padding make it as large as needed. */
export function testMessage(n: number | string, options: { padding?: number } = {}): string {
  const body = options.padding ? "x".repeat(76) + "\r\n" : "";
  const lines = options.padding ? Math.ceil(options.padding / 78) : 0;
  return [
    "From: Requester <requester@example.test>",
    "To: helpdesk@tessera.test",
    `Subject: Test message ${n}`,
    `Message-ID: <test-${n}-${Math.random().toString(36).slice(2)}@example.test>`,
    "Date: Fri, 04 Dec 2026 12:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Body of message ${n}.`,
    body.repeat(lines),
  ].join("\r\n");
}
