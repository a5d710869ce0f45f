import "server-only";
// The staff ticket page's one submit (issue 11 §1): status, priority, category, assignee and a
// reply or internal note, in ONE transaction against ONE version. Each changed field gets its own
// audit event, named as the single-field changes always were (ticket.priority, ticket.category,
// ticket.assign / ticket.take, ticket.status, ticket.reply / ticket.note), so timelines, unread
// markers and the audit viewer read them unchanged.
import type { Tx } from "@/lib/db";
import { assertCan } from "@/lib/auth/permissions";
import { renderedColumns } from "@/lib/markdown/render";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { openSurveyOnResolve } from "@/lib/csat/service";
import { insertTimeEntry } from "@/lib/time/service";
import { CLOSED_MESSAGE, filesMetadata, insertComment } from "@/lib/tickets/comments";
import {
  assertAssignee,
  assertCategory,
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
import type { TicketTriageData } from "@/lib/tickets/schemas";
import {
  STATUS_LABELS,
  checkTransition,
  statusTimestamps,
  transitionBlocker,
  type TicketStatus,
} from "@/lib/tickets/status";

export type TriageField = "status" | "priority" | "categoryId" | "assigneeId";

export type TriageResult = TicketMutationResult & {
  /** The fields this submit changed (status includes an automatic NEW -> OPEN). */
  changed: TriageField[];
  commentId: string | null;
};

/** The input of a single-field change: everything else left as it is. */
export type TriagePart = Partial<Omit<TicketTriageData, "ticketId" | "version">> &
  Pick<TicketTriageData, "ticketId" | "version"> & {
    /** The day of `timeSpent` ("YYYY-MM-DD"): today in the viewer's zone (the action's). */
    timeSpentOn?: string;
  };

export async function triageTicket(ctx: ServiceContext, part: TriagePart): Promise<TriageResult> {
  const input: TicketTriageData = { body: "", visibility: "public", timeSpent: null, ...part };
  assertCan(ctx.actor, "ticket:triage");
  if (input.timeSpent) assertCan(ctx.actor, "time:log");
  // Text or files (or both) make a comment.
  const message = input.body !== "" || (input.attachmentIds ?? []).length > 0;
  const note = message && input.visibility === "internal";
  const reply = message && !note;
  if (note) assertCan(ctx.actor, "ticket:note");
  if (reply) assertCan(ctx.actor, "ticket:comment");
  // Rendered once, here, outside the transaction (bounded: lib/markdown/render.ts).
  const rendered = message ? renderedColumns(input.body) : null;

  return withTicket(ctx, "ticket.triage", input.ticketId, async (tx, ticket) => {
    assertVersion(ticket, input.version);
    if (reply && ticket.status === "CLOSED") {
      throw new ValidationError(CLOSED_MESSAGE, { body: [CLOSED_MESSAGE] });
    }
    const fields = await fieldChanges(tx, input, ticket);
    const status = nextStatus(ctx, input, ticket, fields, reply);
    const now = new Date();
    const statusChange =
      status === ticket.status
        ? {}
        : { status, ...statusTimestamps(ticket.status, status, now, ticket) };

    const comment = rendered
      ? await insertComment(tx, {
          ticketId: ticket.id,
          authorId: ctx.actor.id,
          body: input.body,
          rendered,
          internal: note,
          attachmentIds: input.attachmentIds,
        })
      : null;
    const firstResponse =
      reply && !ticket.firstResponseAt && ticket.requesterId !== ctx.actor.id
        ? { firstResponseAt: comment!.createdAt }
        : {};

    const diff = diffFields(ticket, { ...fields, ...statusChange, ...firstResponse });
    // An internal note alone touches nothing a requester can see: not the version, not updatedAt.
    const result =
      isNoChange(diff) && !reply
        ? resultOf(ticket)
        : await updateIfVersion(tx, ticket, input.version, diff.after, {
            updatedAt: comment?.createdAt ?? now,
          });
    await openSurveyOnResolve(tx, ticket, diff.after);

    const changed: TriageField[] = [];
    const audit = async (action: string, keys: (keyof TicketState)[], field?: TriageField) => {
      const before = pick(diff.before, keys);
      if (Object.keys(before).length === 0) return;
      if (field) changed.push(field);
      await auditTicket(tx, ctx, action, ticket, { before, after: pick(diff.after, keys) });
    };
    await audit("ticket.priority", ["priority"], "priority");
    await audit("ticket.category", ["categoryId"], "categoryId");
    await audit(
      fields.assigneeId === ctx.actor.id ? "ticket.take" : "ticket.assign",
      ["assigneeId"],
      "assigneeId",
    );
    await audit("ticket.status", ["status", "resolvedAt", "closedAt"], "status");
    if (comment) {
      await auditTicket(tx, ctx, note ? "ticket.note" : "ticket.reply", ticket, {
        ...(reply && firstResponse.firstResponseAt
          ? { before: { firstResponseAt: null }, after: firstResponse }
          : {}),
        metadata: {
          commentId: comment.id,
          internal: note,
          length: input.body.length,
          ...filesMetadata(comment.files),
        },
      });
    }
    if (input.timeSpent) {
      const categoryId = fields.categoryId ?? ticket.categoryId;
      await insertTimeEntry(
        tx,
        ctx,
        { ...ticket, categoryId },
        {
          minutes: input.timeSpent,
          workDate: part.timeSpentOn ?? new Date().toISOString().slice(0, 10),
          note: "",
          billable: false,
        },
      );
    }
    return { ...result, changed, commentId: comment?.id ?? null };
  });
}

/** Priority, category and assignee as asked, checked; only those that differ. */
async function fieldChanges(tx: Tx, input: TicketTriageData, ticket: TicketState) {
  const changes: Partial<Pick<TicketState, "priority" | "categoryId" | "assigneeId">> = {};
  if (input.priority !== undefined && input.priority !== ticket.priority) {
    changes.priority = input.priority;
  }
  if (input.categoryId !== undefined && input.categoryId !== ticket.categoryId) {
    await assertCategory(tx, input.categoryId);
    changes.categoryId = input.categoryId;
  }
  if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
    if (input.assigneeId !== null) await assertAssignee(tx, input.assigneeId);
    changes.assigneeId = input.assigneeId;
  }
  return changes;
}

/**
 * The status after this submit: the one asked for (a legal, allowed, unblocked move), else a NEW
 * ticket that gets an owner or a help-desk reply opens, as a single assign or reply always did.
 */
function nextStatus(
  ctx: ServiceContext,
  input: TicketTriageData,
  ticket: TicketState,
  fields: { assigneeId?: string | null },
  reply: boolean,
): TicketStatus {
  const asked = input.status ?? ticket.status;
  if (asked === ticket.status) {
    const staffReply = reply && ticket.requesterId !== ctx.actor.id;
    return ticket.status === "NEW" && (fields.assigneeId || staffReply) ? "OPEN" : ticket.status;
  }
  const verdict = checkTransition(
    { role: ctx.actor.role, isRequester: ticket.requesterId === ctx.actor.id },
    ticket.status,
    asked,
  );
  if (verdict === "illegal") {
    const message = `A ticket cannot go from ${STATUS_LABELS[ticket.status]} to ${STATUS_LABELS[asked]}.`;
    throw new ValidationError(message, { status: [message] });
  }
  if (verdict === "forbidden") throw new ForbiddenError("You cannot make this status change.");
  const assignee = fields.assigneeId !== undefined ? fields.assigneeId : ticket.assigneeId;
  const blocker = transitionBlocker(ticket.status, asked, {
    assigned: !!assignee,
    replying: reply,
  });
  if (blocker) throw new ValidationError(blocker, { status: [blocker] });
  return asked;
}

function pick<T extends object>(from: T, keys: PropertyKey[]): Partial<T> {
  return Object.fromEntries(Object.entries(from).filter(([k]) => keys.includes(k))) as Partial<T>;
}
