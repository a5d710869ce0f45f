import "server-only";
// Unread markers: a ticket is unread for a person when they never opened it (and it is not their
// own request), or when someone else changed it since they last opened it. "Changed" is read from
// the audit trail, which already holds every successful ticket change with its actor and time; a
// person's last visit is one TicketView row. A list page asks about its own rows only: one index probe per row.
import { db } from "@/lib/db";
import { canOnAny } from "@/lib/auth/permissions";
import type { TicketViewer } from "@/lib/tickets/queries";

/**
 * Changes a person without "ticket:note" on every ticket (a requester) is not told about:
 * internal notes are staff-only, and even their existence must not show.
 */
const HIDDEN_FROM_REQUESTERS = ["ticket.note"];

/** Records that `viewer` has just opened the ticket (called by the ticket page). */
export async function markTicketSeen(viewer: TicketViewer, ticketId: string): Promise<void> {
  const now = new Date();
  await db.ticketView.upsert({
    where: { userId_ticketId: { userId: viewer.id, ticketId } },
    create: { userId: viewer.id, ticketId, seenAt: now },
    update: { seenAt: now },
  });
}

/** Which of these tickets (ids the viewer may read) changed by someone else since their last visit. */
export async function unreadTicketIds(
  viewer: TicketViewer,
  ticketIds: string[],
): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const hidden = canOnAny(viewer, "ticket:note") ? [] : HIDDEN_FROM_REQUESTERS;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT t."id" FROM unnest(CAST(${ticketIds} AS text[])) AS t("id")
    JOIN "Ticket" tk ON tk."id" = t."id"
    LEFT JOIN "TicketView" v ON v."userId" = ${viewer.id} AND v."ticketId" = t."id"
    WHERE (v."seenAt" IS NULL AND tk."requesterId" <> ${viewer.id})
       OR EXISTS (
      SELECT 1 FROM "AuditEvent" a
       WHERE a."entityType" = 'Ticket' AND a."entityId" = t."id"
         AND a."outcome" = 'SUCCESS'
         AND a."actorId" IS DISTINCT FROM ${viewer.id}
         AND a."action" <> ALL(CAST(${hidden} AS text[]))
         AND a."createdAt" > coalesce(v."seenAt", '-infinity'::timestamp))`;
  return new Set(rows.map((r) => r.id));
}
