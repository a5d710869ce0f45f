import "server-only";
// Names for what the audit trail shows: "User Ada Admin", "Ticket #1042", "Category Network",
// with a link, instead of bare ids. One query per page (a UNION over the three tables), however
// many rows it has. Only read by "audit:read" holders (the callers check it first).
import { db } from "@/lib/db";

/** What a reference to a user, ticket or category reads as; `href` null when there is no page. */
export type AuditRef = {
  /** "User Ada Admin", "Ticket #1042", "Category Network". */
  label: string;
  /** The user's or category's name, the ticket's title. */
  name: string;
  href: string | null;
  detail: string | null;
};

/** Keyed by `${entityType}:${id}` (actors are `User:${actorId}`). */
export type AuditNames = Record<string, AuditRef>;

export const auditRefKey = (entityType: string, id: string) => `${entityType}:${id}`;

type Named = { type: string; id: string; label: string; number: number | null; deleted: boolean };

/** Resolves every actor and object of `events` in one query. */
export async function resolveAuditNames(
  events: readonly { actorId: string | null; entityType: string; entityId: string | null }[],
): Promise<AuditNames> {
  const ids = { User: new Set<string>(), Ticket: new Set<string>(), Category: new Set<string>() };
  for (const event of events) {
    if (event.actorId) ids.User.add(event.actorId);
    if (event.entityId && event.entityType in ids)
      ids[event.entityType as keyof typeof ids].add(event.entityId);
  }
  if (ids.User.size + ids.Ticket.size + ids.Category.size === 0) return {};
  const rows = await db.$queryRaw<Named[]>`
    SELECT 'User' AS type, id, name AS label, NULL::int AS number, false AS deleted
      FROM "User" WHERE id = ANY(${[...ids.User]}::text[])
    UNION ALL
    SELECT 'Ticket', id, title, number, "deletedAt" IS NOT NULL
      FROM "Ticket" WHERE id = ANY(${[...ids.Ticket]}::text[])
    UNION ALL
    SELECT 'Category', id, name, NULL, false
      FROM "Category" WHERE id = ANY(${[...ids.Category]}::text[])`;
  const names: AuditNames = {};
  for (const row of rows) names[auditRefKey(row.type, row.id)] = refOf(row);
  return names;
}

function refOf(row: Named): AuditRef {
  switch (row.type) {
    case "User":
      return {
        label: `User ${row.label}`,
        name: row.label,
        href: `/admin/users/${encodeURIComponent(row.id)}`,
        detail: null,
      };
    case "Ticket":
      // A deleted ticket has no page any more; the trail still names it.
      return {
        label: `Ticket #${row.number}`,
        name: row.label,
        href: row.deleted ? null : `/tickets/${row.number}`,
        detail: row.deleted ? `${row.label} (deleted)` : row.label,
      };
    default:
      return {
        label: `Category ${row.label}`,
        name: row.label,
        href: "/admin/categories",
        detail: null,
      };
  }
}
