// Tickets for tests: filed through the real service (audited, numbered), and their audit trail.
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { createTicket } from "@/lib/tickets/service";
import { uniqueSuffix } from "@/tests/support/factories";

/** Files a ticket as `ctx.actor` (for `requesterId` when given) in `categoryId`. */
export async function newTicket(
  ctx: ServiceContext,
  categoryId: string,
  overrides: Partial<{ title: string; description: string; requesterId: string }> = {},
) {
  return createTicket(ctx, {
    title: overrides.title ?? `Ticket ${uniqueSuffix()}`,
    description: overrides.description ?? "Something is broken.",
    categoryId,
    ...(overrides.requesterId ? { requesterId: overrides.requesterId } : {}),
  });
}

/** The ticket's audit events, oldest first (only `action` ones when given). */
export async function auditFor(ticketId: string, action?: string) {
  return db.auditEvent.findMany({
    where: { entityType: "Ticket", entityId: ticketId, ...(action ? { action } : {}) },
    orderBy: { id: "asc" },
  });
}
