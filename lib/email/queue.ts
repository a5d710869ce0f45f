// Queueing a mail: rendered now (text and HTML parts), stored with its headers, sent by the
// email job (lib/email/deliver.ts) when SMTP is configured, kept otherwise. Called inside the
// transaction of whatever caused the mail, so the mail exists exactly when the change does.
import { render, toPlainText } from "@react-email/render";
import type { ReactElement } from "react";
import type { Tx } from "@/lib/db";
import type { EmailConfig } from "@/lib/email/config";
import type { EmailKind } from "@/lib/email/kinds";
import { newMessageId, referencesOf } from "@/lib/email/message-id";

export type QueuedEmail = {
  kind: EmailKind;
  to: { address: string; userId?: string | null };
  ticket?: { id: string; number: number } | null;
  subject: string;
  body: ReactElement;
};

/** Headers every mail of ours carries: it is machine-made, and no auto-reply should answer it. */
export const AUTO_HEADERS = {
  "Auto-Submitted": "auto-generated",
  "X-Auto-Response-Suppress": "All",
} as const;

// Subjects are one line: a title with a line break would start a new header.
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[\r\n\t]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export async function renderEmail(body: ReactElement): Promise<{ html: string; text: string }> {
  const html = await render(body);
  // The text part from the HTML (one React render, not two); headings as written (html-to-text
  // shouts them in capitals by default).
  const text = toPlainText(html, {
    selectors: [{ selector: "h1", options: { uppercase: false } }],
  });
  return { html, text };
}

/** The ids of a ticket's thread so far (the first mail and the latest ones), oldest first. */
async function threadOf(tx: Pick<Tx, "$queryRaw">, ticketId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ messageId: string }[]>`
    (SELECT "messageId", "id" FROM "EmailMessage" WHERE "ticketId" = ${ticketId}
      ORDER BY "id" LIMIT 1)
    UNION
    (SELECT "messageId", "id" FROM "EmailMessage" WHERE "ticketId" = ${ticketId}
      ORDER BY "id" DESC LIMIT 9)
    ORDER BY "id"`;
  return rows.map((r) => r.messageId);
}

export async function queueEmail(
  tx: Pick<Tx, "$queryRaw" | "emailMessage">,
  config: EmailConfig,
  mail: QueuedEmail,
): Promise<{ id: bigint; messageId: string }> {
  const messageId = newMessageId(mail.ticket?.number ?? null, config.domain);
  const thread = mail.ticket ? referencesOf(await threadOf(tx, mail.ticket.id)) : [];
  const headers: Record<string, string> = { ...AUTO_HEADERS };
  if (thread.length > 0) {
    headers["In-Reply-To"] = `<${thread.at(-1)}>`;
    headers["References"] = thread.map((id) => `<${id}>`).join(" ");
  }
  const { html, text } = await renderEmail(mail.body);
  const row = await tx.emailMessage.create({
    data: {
      kind: mail.kind,
      toAddress: mail.to.address,
      toUserId: mail.to.userId ?? null,
      ticketId: mail.ticket?.id ?? null,
      messageId,
      subject: oneLine(mail.ticket ? `[#${mail.ticket.number}] ${mail.subject}` : mail.subject),
      text,
      html,
      headers,
      status: config.smtpUrl ? "QUEUED" : "KEPT",
    },
    select: { id: true },
  });
  return { id: row.id, messageId };
}
