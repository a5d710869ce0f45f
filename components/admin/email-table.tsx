import Link from "next/link";
import { AdminTable } from "@/components/admin/admin-table";
import { formatUtc } from "@/components/admin/format";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { EmailListItem, InboundListItem } from "@/lib/email/queries";

export const EMAIL_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  QUEUED: { label: "Queued", tone: "info" },
  SENT: { label: "Sent", tone: "success" },
  KEPT: { label: "Kept (no SMTP)", tone: "neutral" },
  FAILED: { label: "Failed", tone: "danger" },
};

/** Subjects carry ticket titles (user text): React text only. */
export function EmailTable({ emails }: { emails: EmailListItem[] }) {
  return (
    <AdminTable headers={["Created (UTC)", "To", "Subject", "Status", "Attempts", "Last error"]}>
      {emails.map((m) => (
        <tr key={m.id} data-testid="email-row">
          <td className="px-3 py-2 whitespace-nowrap tabular-nums">
            {formatUtc(m.createdAt).replace(" UTC", "")}
          </td>
          <td className="px-3 py-2 break-all">{m.toAddress}</td>
          <td className="px-3 py-2">
            <Link href={`/admin/email/${m.id}`} className="hover:underline">
              {m.subject}
            </Link>
            <span className="block font-mono text-xs text-fg-muted">{m.kind}</span>
          </td>
          <td className="px-3 py-2">
            <Badge tone={EMAIL_STATUS[m.status]?.tone ?? "neutral"}>
              {EMAIL_STATUS[m.status]?.label ?? m.status}
            </Badge>
          </td>
          <td className="px-3 py-2 tabular-nums">{m.attempts}</td>
          <td className="max-w-xs px-3 py-2 text-xs break-words">{m.lastError ?? ""}</td>
        </tr>
      ))}
    </AdminTable>
  );
}

export const INBOUND_OUTCOME: Record<string, string> = {
  ticket_created: "New ticket",
  reply_added: "Reply added",
  note_added: "Staff note (copied person)",
  bounce: "Bounce",
  automatic: "Automatic reply: ignored",
  own_mail: "Our own mail: dropped",
  rate_limited: "Too many: ignored",
  refused: "Refused",
};

/** Mail read from the help desk mailbox: senders and subjects are outsiders' text. */
export function InboundTable({ items }: { items: InboundListItem[] }) {
  return (
    <AdminTable headers={["Received (UTC)", "From", "Subject", "What came of it", "Ticket"]}>
      {items.map((m) => (
        <tr key={m.id} data-testid="inbound-row">
          <td className="px-3 py-2 whitespace-nowrap tabular-nums">
            {formatUtc(m.receivedAt).replace(" UTC", "")}
          </td>
          <td className="px-3 py-2 break-all">{m.fromAddress}</td>
          <td className="px-3 py-2">
            <Link href={`/admin/email/received/${m.id}`} className="hover:underline">
              {m.subject || "(no subject)"}
            </Link>
          </td>
          <td className="px-3 py-2">
            {INBOUND_OUTCOME[m.outcome] ?? m.outcome}
            {m.detail && <span className="block text-xs text-fg-muted">{m.detail}</span>}
          </td>
          <td className="px-3 py-2">
            {m.ticketNumber !== null && (
              <Link href={`/tickets/${m.ticketNumber}`} className="hover:underline">
                #{m.ticketNumber}
              </Link>
            )}
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}
