// The email job of the background loop (lib/security/jobs.ts): sends due mail over SMTP with
// nodemailer. At-least-once like the outbox: a crash between the server's "250 OK" and markSent
// sends that mail again after the lease; receivers de-duplicate on our Message-ID.
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "@/lib/db";
import { emailConfig, type EmailConfig } from "@/lib/email/config";
import { claimDueEmails, markEmailFailed, markSent, type EmailRow } from "@/lib/email/store";
import { backoffMs, type BackoffOptions } from "@/lib/outbox/backoff";

/** Transient failures are retried for about a day (backoff capped at 4 h), then given up. */
export const EMAIL_BACKOFF: BackoffOptions = { baseMs: 30_000, maxMs: 4 * 3_600_000, jitter: 0.2 };
export const EMAIL_MAX_ATTEMPTS = 12;
const TIMEOUT_MS = 30_000;

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl, {
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/** A 5xx reply is permanent (unknown mailbox, refused): trying again cannot help. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

async function send(transport: Transporter, config: EmailConfig, row: EmailRow): Promise<void> {
  const { "In-Reply-To": inReplyTo, References: references, ...headers } = row.headers;
  await transport.sendMail({
    from: config.from,
    to: row.toAddress,
    ...(config.replyTo && { replyTo: config.replyTo }),
    subject: row.subject,
    text: row.text,
    html: row.html,
    messageId: `<${row.messageId}>`,
    ...(inReplyTo && { inReplyTo }),
    ...(references && { references }),
    headers,
  });
}

export async function deliverEmails(
  db: Pick<Db, "$queryRaw" | "$executeRaw">,
  config: EmailConfig = emailConfig(),
  batchSize = 20,
): Promise<{ sent: number; failed: number }> {
  if (!config.smtpUrl) return { sent: 0, failed: 0 };
  const transport = transportFor(config.smtpUrl);
  const rows = await claimDueEmails(db, batchSize, Math.ceil((TIMEOUT_MS * 3) / 1000) + 30);
  let sent = 0;
  let failed = 0;
  // One at a time over the pooled-less transport: mail volume is small, and relays throttle.
  for (const row of rows) {
    try {
      await send(transport, config, row);
      await markSent(db, row.id);
      sent++;
    } catch (err) {
      failed++;
      const message = (err as Error).message || String(err);
      const giveUp = isPermanent(err) || row.attempts >= EMAIL_MAX_ATTEMPTS;
      await markEmailFailed(
        db,
        row.id,
        giveUp ? null : backoffMs(row.attempts, EMAIL_BACKOFF),
        message,
      );
    }
  }
  return { sent, failed };
}
