import Link from "next/link";
import type { AuditRef } from "@/lib/audit/names";

/**
 * An actor or object of the audit trail by name ("Ticket #1042", "User Ada Admin"), linked to
 * its page; the raw id stays in the title (and, with `showId`, as text). Unknown objects (other
 * types, deleted users) keep the type and id. All React text: names are user-supplied.
 */
export function AuditRefLink({
  entityType,
  id,
  named,
  showId = false,
}: {
  entityType: string;
  id: string;
  named: AuditRef | null | undefined;
  showId?: boolean;
}) {
  if (!named) {
    return (
      <span>
        {entityType} <span className="break-all text-fg-muted">{id}</span>
      </span>
    );
  }
  const label = named.href ? (
    <Link
      href={named.href}
      className="underline-offset-2 hover:underline"
      title={`${entityType} ${id}`}
    >
      {named.label}
    </Link>
  ) : (
    <span title={`${entityType} ${id}`}>{named.label}</span>
  );
  return (
    <span>
      {label}
      {named.detail && <span className="text-fg-muted"> · {named.detail}</span>}
      {showId && <span className="block font-mono text-xs break-all text-fg-muted">{id}</span>}
    </span>
  );
}
