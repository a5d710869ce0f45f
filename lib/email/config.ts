// Outgoing email settings, from the environment (README "Email"):
//   SMTP_URL          smtp://user:pass@host:587 (STARTTLS when offered), smtps://...:465 (TLS);
//                     unset = nothing is sent: messages are rendered and kept (admin Email page)
//   EMAIL_FROM        the From address, e.g. "IT Help Desk <it@example.com>"
//   EMAIL_REPLY_TO    where replies go (the inbound mailbox), e.g. it@example.com; default: From
//   AUTH_URL          the public URL; links in mail are absolute to it
// No "server-only": tests and scripts build the same config.
import { z } from "zod";

type Env = Record<string, string | undefined>;

export type EmailConfig = {
  smtpUrl: string | null;
  from: string;
  replyTo: string | null;
  /** Absolute base of every link in a mail, without a trailing slash. */
  publicUrl: string;
  /** The domain part of our Message-IDs: the From address's domain. */
  domain: string;
};

const address = z.string().trim().min(3).max(320);

export class EmailConfigError extends Error {}

/** The bare address of "Name <a@b>" or "a@b". */
export function bareAddress(value: string): string {
  const match = /<([^<>]+)>\s*$/.exec(value);
  return (match ? match[1]! : value).trim().toLowerCase();
}

export function emailConfig(env: Env = process.env): EmailConfig {
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new EmailConfigError("SMTP_URL must start with smtp:// or smtps://");
  }
  const from = address.safeParse(env.EMAIL_FROM ?? "Tessera <tessera@localhost>");
  if (!from.success || !bareAddress(from.data).includes("@")) {
    throw new EmailConfigError('EMAIL_FROM must be an address, e.g. "IT <it@example.com>"');
  }
  const replyTo = env.EMAIL_REPLY_TO?.trim() || null;
  const rawUrl = env.AUTH_URL?.trim() || `http://localhost:${env.PORT || "3000"}`;
  let publicUrl: string;
  try {
    publicUrl = new URL(rawUrl).origin;
  } catch {
    throw new EmailConfigError("AUTH_URL is not a URL");
  }
  const domain = bareAddress(from.data).split("@")[1]!;
  return { smtpUrl, from: from.data, replyTo, publicUrl, domain };
}
