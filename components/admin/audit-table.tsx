import Link from "next/link";
import { AdminTable } from "@/components/admin/admin-table";
import { AuditRefLink } from "@/components/admin/audit-ref";
import { formatUtc } from "@/components/admin/format";
import { Badge } from "@/components/ui/badge";
import { auditRefKey, type AuditNames } from "@/lib/audit/names";
import type { AuditListRow } from "@/lib/audit/queries";

export const OUTCOME_TONE = { SUCCESS: "success", REFUSED: "warning", FAILED: "danger" } as const;

/** Everything here is React text: the audit log holds attacker-supplied strings. */
export function AuditTable({ events, names }: { events: AuditListRow[]; names: AuditNames }) {
  return (
    <AdminTable headers={["Time (UTC)", "Actor", "Action", "Object", "Outcome", "IP"]}>
      {events.map((event) => (
        <tr key={event.id.toString()} data-testid="audit-row">
          <td className="px-3 py-2 whitespace-nowrap tabular-nums">
            <Link href={`/admin/audit/${event.id}`} className="hover:underline">
              {formatUtc(event.createdAt).replace(" UTC", "")}
            </Link>
          </td>
          <td className="px-3 py-2" data-testid="audit-actor">
            {event.actorId && names[auditRefKey("User", event.actorId)] ? (
              <Link
                href={`/admin/users/${encodeURIComponent(event.actorId)}`}
                className="font-medium underline-offset-2 hover:underline"
                title={`User ${event.actorId}`}
              >
                {names[auditRefKey("User", event.actorId)]!.name}
              </Link>
            ) : (
              !event.actorEmail && "system / anonymous"
            )}
            {event.actorEmail && (
              <span className="block break-all text-fg-muted">
                {event.actorEmail}
                {event.actorRole && ` (${event.actorRole.toLowerCase()})`}
              </span>
            )}
          </td>
          <td className="px-3 py-2 font-mono text-xs" data-testid="audit-action">
            <Link href={`/admin/audit/${event.id}`} className="hover:underline">
              {event.action}
            </Link>
          </td>
          <td className="px-3 py-2" data-testid="audit-object">
            {event.entityId ? (
              <AuditRefLink
                entityType={event.entityType}
                id={event.entityId}
                named={names[auditRefKey(event.entityType, event.entityId)]}
              />
            ) : (
              event.entityType
            )}
          </td>
          <td className="px-3 py-2">
            <Badge tone={OUTCOME_TONE[event.outcome]}>{event.outcome.toLowerCase()}</Badge>
            {event.seq === null && <PendingBadge />}
          </td>
          <td className="px-3 py-2 font-mono text-xs">{event.ip ?? "—"}</td>
        </tr>
      ))}
    </AdminTable>
  );
}

/** An event the sealer has not chained yet: seconds after it was written (ADR 004). */
export function PendingBadge() {
  return (
    <Badge
      tone="neutral"
      className="ml-1"
      title="Not in the hash chain yet: the sealer adds new events within seconds"
      data-testid="audit-pending"
    >
      pending
    </Badge>
  );
}
