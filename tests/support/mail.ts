// Mail received by the test SMTP server (scripts/lib/smtp-sink.ts): `npm test` starts it and
// sets TESSERA_TEST_SMTP_URL and TESSERA_TEST_SMTP_DIR (each accepted message is a .eml file
// there). For a local run: `npx tsx scripts/attachment-services.ts` prints them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";

export function smtpServer(): { url: string; dir: string } {
  const url = process.env.TESSERA_TEST_SMTP_URL;
  const dir = process.env.TESSERA_TEST_SMTP_DIR;
  if (!url || !dir) {
    throw new Error(
      "TESSERA_TEST_SMTP_URL/_DIR are not set: run through `npm test`, or start " +
        "`npx tsx scripts/attachment-services.ts` and export what it prints",
    );
  }
  return { url, dir };
}

export type ReceivedMail = ParsedMail & { rcpt: string[]; raw: string };

/** Every message the server accepted for `address` (envelope recipient), oldest first. */
export async function receivedFor(address: string): Promise<ReceivedMail[]> {
  const { dir } = smtpServer();
  const out: ReceivedMail[] = [];
  for (const name of readdirSync(dir).sort()) {
    const raw = readFileSync(join(dir, name), "utf8");
    const rcpt = (/^X-Test-Rcpt: (.*)\r\n/.exec(raw)?.[1] ?? "").split(",");
    if (!rcpt.includes(address.toLowerCase())) continue;
    out.push(Object.assign(await simpleParser(raw), { rcpt, raw }));
  }
  return out;
}

/** Waits (polling) until `address` has received at least `count` messages. */
export async function waitForMail(
  address: string,
  count = 1,
  timeoutMs = 20_000,
): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = await receivedFor(address);
    if (mail.length >= count) return mail;
    if (Date.now() > deadline) {
      throw new Error(`${address} received ${mail.length} message(s), expected ${count}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
