import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/auth/mfa/crypto";
import { pollInboundNow } from "@/lib/email/inbound/job";
import { inboundDefault, type InboundMailbox } from "@/lib/email/inbound/settings";
import { mfaEncryptionKey } from "@/lib/env";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { appendMessage, clearMailbox, imapAccount, listFolder } from "@/tests/support/imap";

// Issue 14 §3 end to end below the UI: the inbound job reads a real IMAP mailbox (the dovecot
// npm test starts), turns its mail into tickets and replies, and flags what it processed.
const db = createTestDb();
const enabled = Boolean(process.env.TESSERA_TEST_IMAP_HOST);

describe.skipIf(!enabled)("the inbound job on a real IMAP mailbox", () => {
  let mailbox: InboundMailbox;
  beforeAll(async () => {
    await clearMailbox();
    const account = imapAccount();
    const category = await makeCategory(db);
    mailbox = {
      ...inboundDefault({}),
      enabled: true,
      host: account.host,
      port: account.port,
      secure: false,
      user: account.user,
      secretEncrypted: encryptSecret(account.password, mfaEncryptionKey()),
      categoryId: category.id,
    };
  });
  afterAll(async () => {
    if (enabled) await clearMailbox();
    await db.$disconnect();
  });

  const raw = (from: string, subject: string, extra: string[] = [], body = "It is broken.") =>
    [
      `From: ${from}`,
      `To: ${imapAccount().user}`,
      `Subject: ${subject}`,
      `Message-ID: <${uniqueSuffix()}@mail.example>`,
      ...extra,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
    ].join("\r\n");

  it("opens a ticket from a new mail, threads the reply, and flags both as read", async () => {
    const user = await makeActor(db, "USER");
    const subject = `Keyboard missing keys ${uniqueSuffix()}`;
    await appendMessage(raw(user.actor.email, subject));
    const first = await pollInboundNow(mailbox);
    expect(first).toMatchObject({ fetched: 1, done: 1, retried: 0 });
    const ticket = await db.ticket.findFirstOrThrow({ where: { requesterId: user.actor.id } });
    expect(ticket.title).toBe(subject);

    await appendMessage(
      raw(user.actor.email, `Re: [#${ticket.number}] ${subject}`, [], "The Q key too."),
    );
    expect(await pollInboundNow(mailbox)).toMatchObject({ fetched: 1, done: 1 });
    const comments = await db.ticketComment.findMany({ where: { ticketId: ticket.id } });
    expect(comments.map((c) => c.body)).toEqual(["The Q key too."]);

    const listed = await listFolder();
    expect(listed).toHaveLength(2);
    expect(listed.every((m) => m.flags.includes("\\Seen"))).toBe(true);
    // Nothing new: the next look reads nothing.
    expect(await pollInboundNow(mailbox)).toMatchObject({ fetched: 0 });
  });

  it("moves processed mail to a folder, and an out-of-office makes nothing", async () => {
    const user = await makeActor(db, "USER");
    await appendMessage(
      raw(user.actor.email, "Automatic reply: away", ["Auto-Submitted: auto-replied"]),
    );
    const moving = { ...mailbox, processed: "move" as const, processedFolder: "Done" };
    const before = await db.ticketComment.count();
    // "move" takes every message in the folder, the two read ones of the test above too: they
    // are keyed in PostgreSQL already, so they make nothing a second time.
    expect(await pollInboundNow(moving)).toMatchObject({ fetched: 3, done: 3 });
    expect(await db.ticketComment.count()).toBe(before);
    expect(await db.ticket.count({ where: { requesterId: user.actor.id } })).toBe(0);
    expect(await listFolder("Done")).toHaveLength(3);
    expect(await listFolder()).toEqual([]);
    const row = await db.inboundEmail.findFirstOrThrow({
      where: { fromAddress: user.actor.email },
    });
    expect(row.outcome).toBe("automatic");
  });

  it("does nothing while the mailbox is switched off", async () => {
    expect(await pollInboundNow({ ...mailbox, enabled: false })).toBeNull();
  });
});
