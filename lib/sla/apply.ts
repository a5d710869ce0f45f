import "server-only";
// Due times on the ticket (ADR 024): the one place that writes the SLA columns, called in the
// transaction of every ticket change (withTicket, createTicket, bulk), so a queue sorted by due
// time is never behind the ticket.
import type { Tx } from "@/lib/db";
import { logger } from "@/lib/logger";
import { NO_SLA_COLUMNS, nextSlaColumns, type SlaColumns, type SlaTicket } from "@/lib/sla/clock";
import { slaRules, policyFor } from "@/lib/sla/rules";
import type { TicketPriority } from "@/lib/tickets/status";

export const SLA_COLUMNS_SELECT = {
  slaPolicyId: true,
  firstResponseDueAt: true,
  nextResponseDueAt: true,
  resolutionDueAt: true,
  slaDueAt: true,
  slaWarnAt: true,
  slaCheckAt: true,
  slaPausedAt: true,
  slaPausedMinutes: true,
  nextResponseStartAt: true,
  nextResponsePauseBase: true,
  nextResponseCount: true,
  nextResponseBreaches: true,
} as const satisfies Record<keyof SlaColumns, true>;

const TICKET_SELECT = {
  ...SLA_COLUMNS_SELECT,
  status: true,
  priority: true,
  categoryId: true,
  createdAt: true,
  updatedAt: true,
  firstResponseAt: true,
  awaitingReply: true,
  deletedAt: true,
} as const;

/** The SLA columns of a ticket created at `now` (written with the INSERT: no second write). */
export async function slaColumnsForNew(
  tx: Tx,
  ticket: { priority: TicketPriority; categoryId: string },
  now: Date,
): Promise<SlaColumns> {
  const { policy, calendar } = policyFor(await slaRules(tx), ticket);
  const fresh: SlaTicket = {
    ...NO_SLA_COLUMNS,
    status: "NEW",
    createdAt: now,
    firstResponseAt: null,
    awaitingReply: true,
  };
  try {
    return nextSlaColumns(fresh, policy, calendar, now);
  } catch (err) {
    // As in applySla: an unusable calendar must not stop a ticket from being created.
    logger.error({ err, policyId: policy?.id }, "SLA due times could not be computed");
    return { ...NO_SLA_COLUMNS };
  }
}

const same = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/**
 * Brings the ticket's SLA columns up to date with its state, in the caller's transaction. Writes
 * only what changed, and leaves updatedAt alone (an internal note does not "update" a ticket for
 * its requester).
 */
export async function applySla(tx: Tx, ticketId: string, now = new Date()): Promise<void> {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: TICKET_SELECT });
  if (!ticket || ticket.deletedAt) return;
  const { policy, calendar } = policyFor(await slaRules(tx), ticket);
  let next: SlaColumns;
  try {
    next = nextSlaColumns(ticket, policy, calendar, now);
  } catch (err) {
    // A calendar the arithmetic cannot use must not stop the help desk: the change commits, the
    // due times stay as they were, and the log says why.
    logger.error({ err, ticketId, policyId: policy?.id }, "SLA due times could not be computed");
    return;
  }
  const changed = (Object.keys(next) as (keyof SlaColumns)[]).filter(
    (k) => !same(next[k], ticket[k]),
  );
  if (changed.length === 0) return;
  await tx.ticket.update({
    where: { id: ticketId },
    data: { ...Object.fromEntries(changed.map((k) => [k, next[k]])), updatedAt: ticket.updatedAt },
  });
}
