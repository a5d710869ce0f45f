import "server-only";
// Ticket writes. Each takes the ServiceContext (who acts, from where) first, so it is testable
// without a Next request, re-checks permissions and ownership itself, and runs ONE transaction
// that also writes the audit event with before/after. Replies and internal notes live in
// lib/tickets/comments.ts, bulk assign and bulk status in lib/tickets/bulk.ts.
import { db, type Tx } from "@/lib/db";
import { auditedFiles, claimAttachments } from "@/lib/attachments/claim";
import { boundedDiff, fingerprint } from "@/lib/audit";
import { assertCan, assertCanOn, can } from "@/lib/auth/permissions";
import { slaColumnsForNew } from "@/lib/sla/apply";
import { openSurveyOnResolve } from "@/lib/csat/service";
import { renderedColumns } from "@/lib/markdown/render";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import {
  auditHiddenTicket,
  CATEGORY_MESSAGE,
  assertVersion,
  auditTicket,
  diffFields,
  isNoChange,
  resultOf,
  updateIfVersion,
  withTicket,
  type TicketMutationResult,
  type TicketState,
} from "@/lib/tickets/mutation";
import type {
  TicketAssignData,
  TicketCategoryChangeData,
  TicketCreateData,
  TicketDeleteData,
  TicketEditData,
  TicketPriorityChangeData,
  TicketRefData,
  TicketStatusChangeData,
} from "@/lib/tickets/schemas";
import { mayEdit, visibleTo } from "@/lib/tickets/queries";
import {
  STATUS_LABELS,
  checkTransition,
  statusTimestamps,
  transitionBlocker,
} from "@/lib/tickets/status";
import { triageTicket } from "@/lib/tickets/triage";

export type { TicketMutationResult } from "@/lib/tickets/mutation";

const ON_BEHALF_MESSAGE = "Only the help desk can file tickets for others or set a priority.";

/**
 * "ticket:create" for the requester (own: only for oneself; all: on behalf of any active user).
 * Setting a priority is triage.
 */
export async function createTicket(
  ctx: ServiceContext,
  input: TicketCreateData,
): Promise<TicketMutationResult> {
  const { actor } = ctx;
  const requesterId = input.requesterId ?? actor.id;
  assertCanOn(actor, "ticket:create", requesterId, ON_BEHALF_MESSAGE);
  if (input.priority !== undefined) assertCan(actor, "ticket:triage", ON_BEHALF_MESSAGE);
  // Rendered once, here, outside the transaction (bounded: lib/markdown/render.ts).
  const rendered = renderedColumns(input.description);
  const followUpOfId = input.followUpOfId ?? null;
  try {
    return await db.$transaction(async (tx) => {
      // The category (open for new tickets) and its default assignee, while still an active
      // technician or admin, in one query.
      const category = await tx.category.findFirst({
        where: { id: input.categoryId, archived: false },
        select: { defaultAssignee: { select: { id: true, active: true, role: true } } },
      });
      if (!category) {
        throw new ValidationError(CATEGORY_MESSAGE, { categoryId: [CATEGORY_MESSAGE] });
      }
      if (followUpOfId) await assertFollowUpTarget(tx, ctx, followUpOfId);
      if (requesterId !== actor.id) {
        const requester = await tx.user.findFirst({
          where: { id: requesterId, active: true },
          select: { id: true },
        });
        if (!requester) {
          const message = "Choose an active user as the requester.";
          throw new ValidationError(message, { requesterId: [message] });
        }
      }
      const staff = category.defaultAssignee;
      const assigneeId =
        staff?.active && (staff.role === "TECHNICIAN" || staff.role === "ADMIN") ? staff.id : null;
      const priority = input.priority ?? "MEDIUM";
      const createdAt = new Date();
      // Its due times, computed with the INSERT (ADR 024).
      const sla = await slaColumnsForNew(tx, { priority, categoryId: input.categoryId }, createdAt);
      const ticket = await tx.ticket.create({
        data: {
          ...sla,
          createdAt,
          title: input.title,
          description: input.description,
          descriptionHtml: rendered.html,
          descriptionHtmlVersion: rendered.version,
          categoryId: input.categoryId,
          priority,
          requesterId,
          assigneeId,
          followUpOfId,
        },
        select: { id: true, number: true, version: true, status: true, priority: true },
      });
      // The description's files: linked to the ticket itself (no comment).
      const files = auditedFiles(
        await claimAttachments(tx, actor.id, input.attachmentIds ?? [], {
          ticketId: ticket.id,
          commentId: null,
        }),
      );
      await auditTicket(tx, ctx, "ticket.create", ticket, {
        after: {
          number: ticket.number,
          title: input.title,
          // The text stays in the ticket; the trail keeps its fingerprint (lib/audit/text-change.ts).
          description: fingerprint(input.description),
          categoryId: input.categoryId,
          priority: ticket.priority,
          status: ticket.status,
          requesterId,
          ...(assigneeId && { assigneeId }),
          ...(followUpOfId && { followUpOfId }),
        },
        metadata: {
          ...(requesterId !== actor.id && { onBehalfOf: requesterId }),
          ...(files.length > 0 && { attachments: files }),
        },
      });
      await ctx.inTransaction?.(tx);
      return {
        id: ticket.id,
        number: ticket.number,
        version: ticket.version,
        status: ticket.status,
      };
    });
  } catch (error) {
    // A follow-up of a ticket the actor may not see: audited as a probe, answered like an unknown id.
    if (error instanceof FollowUpHidden)
      await auditHiddenTicket(ctx, "ticket.create", error.ticketId);
    throw error;
  }
}

const FOLLOW_UP_NOT_FOUND = "The ticket to follow up was not found.";

class FollowUpHidden extends ValidationError {
  constructor(readonly ticketId: string) {
    super(FOLLOW_UP_NOT_FOUND, { followUpOfId: [FOLLOW_UP_NOT_FOUND] });
  }
}

/** A follow-up continues a CLOSED ticket the actor may read (a requester: only their own). */
async function assertFollowUpTarget(tx: Tx, ctx: ServiceContext, ticketId: string) {
  const target = await tx.ticket.findFirst({
    where: { id: ticketId, ...visibleTo(ctx.actor) },
    select: { status: true },
  });
  if (!target) throw new FollowUpHidden(ticketId);
  if (target.status !== "CLOSED") {
    const message = "Only a closed ticket can be followed up; reply on it instead.";
    throw new ValidationError(message, { followUpOfId: [message] });
  }
}

/** Title and description ("ticket:edit"): the requester while the ticket is NEW, staff always. */
export async function editTicket(
  ctx: ServiceContext,
  input: TicketEditData,
): Promise<TicketMutationResult> {
  assertCan(ctx.actor, "ticket:edit");
  const rendered = renderedColumns(input.description);
  return withTicket(ctx, "ticket.edit", input.ticketId, async (tx, ticket) => {
    if (!mayEdit(ctx.actor, ticket)) {
      throw new ForbiddenError("You can edit a ticket only until the help desk picks it up.");
    }
    assertVersion(ticket, input.version);
    const diff = diffFields(ticket, { title: input.title, description: input.description });
    if (isNoChange(diff)) return resultOf(ticket);
    const result = await updateIfVersion(
      tx,
      ticket,
      input.version,
      diff.after,
      "description" in diff.after
        ? { descriptionHtml: rendered.html, descriptionHtmlVersion: rendered.version }
        : {},
    );
    await auditTicket(tx, ctx, "ticket.edit", ticket, textAudit(diff));
    return result;
  });
}

/**
 * A title/description change as the audit trail keeps it: the title as it is (at most 200
 * characters), the description as a fingerprint before and after plus a bounded excerpt of the
 * changed part, so an edit adds well under 1 KB whatever the description's size.
 */
function textAudit(diff: {
  before: Partial<Pick<TicketState, "title" | "description">>;
  after: Partial<Pick<TicketState, "title" | "description">>;
}) {
  const { description: oldText, ...before } = diff.before;
  const { description: newText, ...after } = diff.after;
  if (oldText === undefined || newText === undefined) return diff;
  return {
    before: { ...before, description: fingerprint(oldText) },
    after: { ...after, description: fingerprint(newText) },
    metadata: { descriptionDiff: boundedDiff(oldText, newText) },
  };
}

// Single-field changes: the ticket page's one form (lib/tickets/triage.ts) with one field set.
// Kept for scripts and tests; the UI and the server actions use triageTicket itself.

export function changePriority(ctx: ServiceContext, input: TicketPriorityChangeData) {
  return triageTicket(ctx, input);
}

export function changeCategory(ctx: ServiceContext, input: TicketCategoryChangeData) {
  return triageTicket(ctx, input);
}

/** Assigning a NEW ticket also opens it: somebody now owns it. Null unassigns. */
export function assignTicket(ctx: ServiceContext, input: TicketAssignData) {
  return triageTicket(ctx, input);
}

/** "Take it": assign to myself (audited as "ticket.take"). */
export function takeTicket(ctx: ServiceContext, input: TicketRefData) {
  return triageTicket(ctx, { ...input, assigneeId: ctx.actor.id });
}

/**
 * Moves a ticket along the status machine. With "ticket:triage": any legal move. Otherwise
 * "ticket:close-reopen": close or reopen one's own RESOLVED ticket. An edge that does not exist is
 * a validation error for anyone; a legal edge the actor may not take is refused.
 */
export async function changeStatus(
  ctx: ServiceContext,
  input: TicketStatusChangeData,
): Promise<TicketMutationResult> {
  const triager = can(ctx.actor, "ticket:triage");
  assertCan(ctx.actor, triager ? "ticket:triage" : "ticket:close-reopen");
  const action = triager
    ? "ticket.status"
    : input.status === "CLOSED"
      ? "ticket.close"
      : "ticket.reopen";
  return withTicket(ctx, action, input.ticketId, async (tx, ticket) => {
    const verdict = checkTransition(
      { role: ctx.actor.role, isRequester: ticket.requesterId === ctx.actor.id },
      ticket.status,
      input.status,
    );
    if (verdict === "illegal") {
      const message = `A ticket cannot go from ${STATUS_LABELS[ticket.status]} to ${STATUS_LABELS[input.status]}.`;
      throw new ValidationError(message, { status: [message] });
    }
    if (verdict === "forbidden") {
      throw new ForbiddenError("You can only close or reopen your own resolved ticket.");
    }
    const blocker = triager
      ? transitionBlocker(ticket.status, input.status, {
          assigned: ticket.assigneeId !== null,
          replying: false,
        })
      : null;
    if (blocker) throw new ValidationError(blocker, { status: [blocker] });
    assertVersion(ticket, input.version);
    const changes = {
      status: input.status,
      ...statusTimestamps(ticket.status, input.status, new Date(), ticket),
    };
    const diff = diffFields(ticket, changes);
    const result = await updateIfVersion(tx, ticket, input.version, diff.after);
    await openSurveyOnResolve(tx, ticket, diff.after);
    await auditTicket(tx, ctx, action, ticket, diff);
    return result;
  });
}

/** The requester accepts the resolution. */
export function closeTicket(ctx: ServiceContext, input: TicketRefData) {
  return changeStatus(ctx, { ...input, status: "CLOSED" });
}

/** The requester (or staff) reopens a resolved ticket, with a reply: lib/tickets/reopen.ts. */
export { reopenTicket } from "@/lib/tickets/reopen";

/** Admin soft-delete: the ticket disappears from every read; the audit trail keeps it. */
export async function deleteTicket(
  ctx: ServiceContext,
  input: TicketDeleteData,
): Promise<{ id: string; number: number }> {
  assertCan(ctx.actor, "ticket:delete");
  return withTicket(ctx, "ticket.delete", input.ticketId, async (tx, ticket) => {
    const deletedAt = new Date();
    await updateIfVersion(tx, ticket, ticket.version, { deletedAt });
    await auditTicket(tx, ctx, "ticket.delete", ticket, {
      before: { deletedAt: null, status: ticket.status, title: ticket.title },
      after: { deletedAt },
    });
    return { id: ticket.id, number: ticket.number };
  });
}
