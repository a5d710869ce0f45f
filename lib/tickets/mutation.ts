import "server-only";
// The skeleton every ticket write shares: ONE transaction that loads the ticket through the
// viewer's scope, checks the version, writes, and records the audit event; and the audit of
// attempts on tickets the actor may not see (recorded after the rollback, then a plain 404).
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { changeRecorder } from "@/lib/audit/change";
import { recordRefusal } from "@/lib/security/refusals";
import { applySla } from "@/lib/sla/apply";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { Actor, ServiceContext } from "@/lib/service-context";
import { visibleTo } from "@/lib/tickets/queries";
import type { TicketPriority, TicketStatus } from "@/lib/tickets/status";

/** What a successful field change returns: enough for the form to carry on without a reload. */
export type TicketMutationResult = {
  id: string;
  number: number;
  version: number;
  status: TicketStatus;
};

export const STALE_MESSAGE =
  "This ticket was changed since you opened it. Reload to see the latest version, then try again.";
export const TICKET_NOT_FOUND = "Ticket not found.";

export const TICKET_STATE_SELECT = {
  id: true,
  number: true,
  title: true,
  description: true,
  status: true,
  priority: true,
  categoryId: true,
  requesterId: true,
  assigneeId: true,
  version: true,
  firstResponseAt: true,
  resolvedAt: true,
  closedAt: true,
} as const;

export type TicketState = {
  id: string;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  categoryId: string;
  requesterId: string;
  assigneeId: string | null;
  version: number;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
};

/** Thrown inside the transaction; turned into an audited refusal + NotFoundError outside it. */
class TicketNotVisible extends Error {}

export async function loadVisible(tx: Tx, user: Actor, ticketId: string) {
  const ticket = await tx.ticket.findFirst({
    where: { id: ticketId, ...visibleTo(user) },
    select: TICKET_STATE_SELECT,
  });
  if (!ticket) throw new TicketNotVisible();
  return ticket;
}

/**
 * Runs `fn` in one READ COMMITTED transaction (what the audit chain needs) with the ticket as the
 * actor may see it. A ticket that exists but is not theirs gets a REFUSED audit event (it is a
 * probe worth knowing about) and then the same NotFoundError as an unknown id.
 */
export async function withTicket<T>(
  ctx: ServiceContext,
  action: string,
  ticketId: string,
  fn: (tx: Tx, ticket: TicketState) => Promise<T>,
): Promise<T> {
  try {
    return await db.$transaction(
      async (tx) => {
        const result = await fn(tx, await loadVisible(tx, ctx.actor, ticketId));
        // Due times follow the change in the same transaction (ADR 024).
        await applySla(tx, ticketId);
        await ctx.inTransaction?.(tx);
        return result;
      },
      { isolationLevel: "ReadCommitted" },
    );
  } catch (error) {
    if (!(error instanceof TicketNotVisible)) throw error;
    await auditHiddenTicket(ctx, action, ticketId);
    throw new NotFoundError(TICKET_NOT_FOUND);
  }
}

/** A probe on a ticket that exists but is hidden from the actor: an aggregated refusal. */
export async function auditHiddenTicket(ctx: ServiceContext, action: string, ticketId: string) {
  const exists = await db.ticket.findFirst({
    where: { id: ticketId, deletedAt: null },
    select: { id: true },
  });
  if (!exists) return;
  // Probing ids in a loop: aggregated per actor, action and window (lib/security/refusals.ts).
  await recordRefusal({
    key: ["hidden", action, `u:${ctx.actor.id}`],
    audit: {
      actor: ctx.actor,
      action,
      entityType: "Ticket",
      entityId: exists.id,
      outcome: "REFUSED",
      metadata: { reason: "not_visible" },
      context: ctx.request,
    },
  });
}

export function assertVersion(ticket: { version: number }, expected: number): void {
  if (ticket.version !== expected) throw new ConflictError(STALE_MESSAGE);
}

/**
 * Compare-and-set on the version: a concurrent writer that committed between our read and this
 * UPDATE makes it match no row, and the caller gets a conflict instead of a lost update.
 */
export async function updateIfVersion(
  tx: Tx,
  ticket: TicketState,
  expectedVersion: number,
  data: Partial<TicketState> & { deletedAt?: Date },
  /** Columns written beside the audited fields (e.g. the rendered description). */
  extra: Prisma.TicketUncheckedUpdateManyInput = {},
): Promise<TicketMutationResult> {
  const { id: _id, number: _number, version: _version, ...fields } = data;
  const update: Prisma.TicketUncheckedUpdateManyInput = {
    ...extra,
    ...fields,
    version: { increment: 1 },
  };
  const result = await tx.ticket.updateMany({
    where: { id: ticket.id, version: expectedVersion, deletedAt: null },
    data: update,
  });
  if (result.count !== 1) throw new ConflictError(STALE_MESSAGE);
  return {
    id: ticket.id,
    number: ticket.number,
    version: expectedVersion + 1,
    status: (data.status as TicketStatus | undefined) ?? ticket.status,
  };
}

/** Only the fields that changed, as { before, after } for the audit event. */
export function diffFields<T extends Record<string, unknown>>(
  before: T,
  changes: Partial<T>,
): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(changes) as (keyof T)[]) {
    const next = changes[key];
    const prev = before[key];
    const same =
      next instanceof Date && prev instanceof Date
        ? next.getTime() === prev.getTime()
        : next === prev;
    if (!same) {
      b[key] = prev;
      a[key] = next;
    }
  }
  return { before: b, after: a };
}

const recordTicketChange = changeRecorder("Ticket");

export async function auditTicket(
  tx: Tx,
  ctx: ServiceContext,
  action: string,
  ticket: { id: string; number: number },
  change: { before?: unknown; after?: unknown; metadata?: Record<string, unknown> },
): Promise<void> {
  await recordTicketChange(tx, ctx, action, ticket.id, change.before, change.after, {
    number: ticket.number,
    ...change.metadata,
  });
}

export const isNoChange = (diff: { after: object }) => Object.keys(diff.after).length === 0;

export function resultOf(ticket: TicketState): TicketMutationResult {
  return { id: ticket.id, number: ticket.number, version: ticket.version, status: ticket.status };
}

export const CATEGORY_MESSAGE = "Choose a category from the list.";

export async function assertCategory(tx: Tx, categoryId: string): Promise<void> {
  const category = await tx.category.findFirst({
    where: { id: categoryId, archived: false },
    select: { id: true },
  });
  if (!category) {
    throw new ValidationError(CATEGORY_MESSAGE, { categoryId: [CATEGORY_MESSAGE] });
  }
}

const ASSIGNEE_MESSAGE = "Only an active technician or admin can be assigned.";

export async function assertAssignee(tx: Tx, assigneeId: string): Promise<void> {
  const user = await tx.user.findFirst({
    where: { id: assigneeId, active: true, role: { in: ["TECHNICIAN", "ADMIN"] } },
    select: { id: true },
  });
  if (!user) throw new ValidationError(ASSIGNEE_MESSAGE, { assigneeId: [ASSIGNEE_MESSAGE] });
}
