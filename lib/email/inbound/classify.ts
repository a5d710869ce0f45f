// What kind of mail this is, from its headers alone (issue 14 §3, loop and noise protection):
// our own mail coming back, a delivery report (bounce), an automatic reply or list mail, or mail
// a person wrote. Only the last may open a ticket, add a reply or change a status.
import type { ParsedMail } from "mailparser";
import { bareAddress } from "@/lib/email/config";
import { isOwnMessageId } from "@/lib/email/message-id";

export type MailKind =
  | { kind: "own" }
  | { kind: "bounce" }
  | { kind: "automatic"; reason: string }
  | { kind: "personal" };

/** The unfolded value of the first header `name` (lower-case), as written; null when absent. */
export function rawHeader(mail: ParsedMail, name: string): string | null {
  const line = mail.headerLines.find((h) => h.key === name)?.line;
  if (line === undefined) return null;
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}

const SYSTEM_SENDERS = /^(mailer-daemon|postmaster)@/i;

export function classify(mail: ParsedMail, ourAddress: string, secret?: string): MailKind {
  if (mail.messageId && isOwnMessageId(mail.messageId, secret)) return { kind: "own" };
  const from = bareAddress(mail.from?.value[0]?.address ?? "");
  if (from !== "" && from === bareAddress(ourAddress)) return { kind: "own" };

  const contentType = rawHeader(mail, "content-type") ?? "";
  const report = /multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType);
  if (report || SYSTEM_SENDERS.test(from)) return { kind: "bounce" };

  const auto = rawHeader(mail, "auto-submitted");
  if (auto !== null && auto.toLowerCase().split(";")[0]!.trim() !== "no") {
    return { kind: "automatic", reason: `Auto-Submitted: ${auto}` };
  }
  const precedence = rawHeader(mail, "precedence")?.toLowerCase();
  if (precedence && ["bulk", "list", "junk", "auto_reply"].includes(precedence)) {
    return { kind: "automatic", reason: `Precedence: ${precedence}` };
  }
  for (const name of ["x-autoreply", "x-autorespond", "list-id", "list-unsubscribe"]) {
    if (rawHeader(mail, name) !== null) return { kind: "automatic", reason: name };
  }
  const returnPath = rawHeader(mail, "return-path");
  if (returnPath !== null && /^<\s*>$/.test(returnPath)) {
    return { kind: "automatic", reason: "empty Return-Path" };
  }
  return { kind: "personal" };
}

/** The recipient a delivery report is about and the Message-ID of the mail that failed. */
export function bounceDetails(mail: ParsedMail): {
  recipient: string | null;
  original: string | null;
} {
  let recipient: string | null = null;
  let original: string | null = null;
  for (const part of mail.attachments) {
    const text = part.content.toString("utf8");
    recipient ??=
      /^(?:Final|Original)-Recipient:\s*rfc822;\s*<?([^\s<>]+@[^\s<>]+)>?/im.exec(text)?.[1] ??
      null;
    original ??= /^Message-ID:\s*<([^<>\s]+)>/im.exec(text)?.[1] ?? null;
  }
  // Reports that quote the failed mail in their text instead of attaching it.
  original ??=
    /tessera\.(?:\d+|x)\.[A-Za-z0-9_-]{8,32}\.[0-9a-f]{32}@[^\s<>]+/.exec(mail.text ?? "")?.[0] ??
    null;
  return { recipient: recipient?.toLowerCase() ?? null, original };
}
