import "server-only";
// Bulk assign / bulk status for staff: one transaction for the whole selection, one audit event
// per changed ticket (so each ticket's timeline shows it). Tickets that cannot take the change
// (illegal move, gone) are skipped and reported, not silently dropped.
import { db, type Tx } from "@/lib/db";
import { applySla } from "@/lib/sla/apply";
import type { Prisma } from "@/lib/generated/prisma/client";
import { assertCan } from "@/lib/auth/permissions";
import { openSurveyOnResolve } from "@/lib/csat/service";
import { ValidationError } from "@/lib/errors";
import {
  assertAssignee,
  auditTicket,
  diffFields,
  isNoChange,
  TICKET_STATE_SELECT,
  type TicketMutationResult,
  type TicketState,
} from "@/lib/tickets/mutation";
import type { ServiceContext } from "@/lib/service-context";
import { visibleTo } from "@/lib/tickets/queries";
import type { TicketBulkAssignData, TicketBulkStatusData } from "@/lib/tickets/schemas";
import {
  STATUS_LABELS,
  checkTransition,
  statusTimestamps,
  transitionBlocker,
} from "@/lib/tickets/status";

export type BulkResult = {
  updated: TicketMutationResult[];
  /** number is null when the id matched no visible ticket. */
  skipped: { id: string; number: number | null; reason: string }[];
};

type Plan = (ticket: TicketState) => Partial<TicketState> | { skip: string };

async function runBulk(
  ctx: ServiceContext,
  action: string,
  ticketIds: string[],
  prepare: (tx: Tx) => Promise<Plan>,
): Promise<BulkResult> {
  assertCan(ctx.actor, "ticket:triage");
  return db.$transaction(
    async (tx) => {
      const plan = await prepare(tx);
      const tickets = await tx.ticket.findMany({
        where: { id: { in: ticketIds }, ...visibleTo(ctx.actor) },
        select: TICKET_STATE_SELECT,
        orderBy: { number: "asc" },
      });
      const found = new Set(tickets.map((t) => t.id));
      const result: BulkResult = {
        updated: [],
        skipped: ticketIds
          .filter((id) => !found.has(id))
          .map((id) => ({ id, number: null, reason: "Ticket not found." })),
      };
      for (const ticket of tickets) {
        const changes = plan(ticket);
        if ("skip" in changes) {
          result.skipped.push({ id: ticket.id, number: ticket.number, reason: changes.skip });
          continue;
        }
        const diff = diffFields(ticket, changes);
        if (isNoChange(diff)) {
          result.skipped.push({ id: ticket.id, number: ticket.number, reason: "Already so." });
          continue;
        }
        // Compare-and-set on the version we just read: a ticket edited concurrently is skipped.
        const data: Prisma.TicketUncheckedUpdateManyInput = {
          ...diff.after,
          version: { increment: 1 },
        };
        const written = await tx.ticket.updateMany({
          where: { id: ticket.id, version: ticket.version, deletedAt: null },
          data,
        });
        if (written.count !== 1) {
          result.skipped.push({
            id: ticket.id,
            number: ticket.number,
            reason: "Changed meanwhile.",
          });
          continue;
        }
        await applySla(tx, ticket.id);
        await openSurveyOnResolve(tx, ticket, diff.after);
        await auditTicket(tx, ctx, action, ticket, { ...diff, metadata: { bulk: true } });
        result.updated.push({
          id: ticket.id,
          number: ticket.number,
          version: ticket.version + 1,
          status: changes.status ?? ticket.status,
        });
      }
      return result;
    },
    { isolationLevel: "ReadCommitted", timeout: 30_000 },
  );
}

/** Assign (or, with null, unassign) up to 100 tickets. NEW tickets that get an owner open. */
export function bulkAssign(ctx: ServiceContext, input: TicketBulkAssignData): Promise<BulkResult> {
  return runBulk(ctx, "ticket.assign", input.ticketIds, async (tx) => {
    if (input.assigneeId) await assertAssignee(tx, input.assigneeId);
    return (ticket) => {
      if (input.assigneeId === null) return { assigneeId: null };
      return ticket.status === "NEW" && ticket.assigneeId !== input.assigneeId
        ? { assigneeId: input.assigneeId, status: "OPEN" }
        : { assigneeId: input.assigneeId };
    };
  });
}

/** Move up to 100 tickets to one status; those for which the move is illegal are skipped. */
export function bulkChangeStatus(
  ctx: ServiceContext,
  input: TicketBulkStatusData,
): Promise<BulkResult> {
  if (!input.status) throw new ValidationError("Choose a status.");
  return runBulk(ctx, "ticket.status", input.ticketIds, async () => {
    const now = new Date();
    return (ticket) => {
      if (ticket.status === input.status) return { skip: "Already so." };
      const verdict = checkTransition(
        { role: ctx.actor.role, isRequester: ticket.requesterId === ctx.actor.id },
        ticket.status,
        input.status,
      );
      if (verdict !== "ok") {
        return {
          skip: `Cannot go from ${STATUS_LABELS[ticket.status]} to ${STATUS_LABELS[input.status]}.`,
        };
      }
      // The ticket page can give what a move needs in the same submit; a bulk move cannot.
      const blocker = transitionBlocker(ticket.status, input.status, {
        assigned: ticket.assigneeId !== null,
        replying: false,
      });
      if (blocker) return { skip: blocker };
      return {
        status: input.status,
        ...statusTimestamps(ticket.status, input.status, now, ticket),
      };
    };
  });
}
