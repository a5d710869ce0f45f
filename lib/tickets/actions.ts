"use server";
// Thin server actions over lib/tickets/service.ts. Each goes through defineAction: parse with the
// form's schema -> requireUser() -> coarse permission -> service (which re-checks ownership,
// state and version in its one transaction). Refusals are audited by the wrapper.
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { getDateContext } from "@/lib/dates-server";
import { todayIn } from "@/lib/time/duration";
import { enforceUserLimit } from "@/lib/rate-limit";
import {
  TicketBulkAssignSchema,
  TicketBulkStatusSchema,
  TicketCommentSchema,
  TicketCreateSchema,
  TicketDeleteSchema,
  TicketEditSchema,
  TicketRefSchema,
  TicketTriageSchema,
  TicketReopenSchema,
} from "@/lib/tickets/schemas";
import { bulkAssign, bulkChangeStatus } from "@/lib/tickets/bulk";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import {
  closeTicket,
  createTicket,
  deleteTicket,
  editTicket,
  reopenTicket,
} from "@/lib/tickets/service";
import { triageTicket } from "@/lib/tickets/triage";

/** Every ticket page lives under /tickets; lists and details both show what changed. */
function refresh<T>(result: T): T {
  revalidatePath("/tickets", "layout");
  return result;
}

export const createTicketAction = defineAction({
  name: "ticket.create",
  schema: TicketCreateSchema,
  permission: "ticket:create",
  handler: async (input, ctx) => {
    // Per-user limit (lib/rate-limit); fails open if the store is down: tickets keep coming in.
    await enforceUserLimit("ticketCreate", ctx.actor.id, { failOpen: true });
    // No refresh(): the form navigates to the new ticket (a fresh render), so re-rendering the
    // form's page into this response was wasted work (~13 kB; docs/benchmarks.md "Write path").
    return createTicket(ctx, input);
  },
});

export const editTicketAction = defineAction({
  name: "ticket.edit",
  schema: TicketEditSchema,
  permission: "ticket:edit",
  handler: async (input, ctx) => {
    // Like replies: each edit is an audit row, so a loop of edits is limited (fails open).
    await enforceUserLimit("ticketEdit", ctx.actor.id, { failOpen: true });
    return refresh(await editTicket(ctx, input));
  },
});

/**
 * The staff ticket page's one submit: status, priority, category, assignee and a reply or
 * internal note, in one transaction with one version check (lib/tickets/triage.ts).
 * Requesters use replyToTicketAction, closeTicketAction and reopenTicketAction.
 */
export const triageTicketAction = defineAction({
  name: "ticket.triage",
  schema: TicketTriageSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => {
    if (input.body) await enforceUserLimit("ticketReply", ctx.actor.id, { failOpen: true });
    const timeSpentOn = input.timeSpent ? todayIn((await getDateContext()).timeZone) : undefined;
    return refresh(await triageTicket(ctx, { ...input, timeSpentOn }));
  },
});

export const closeTicketAction = defineAction({
  name: "ticket.close",
  schema: TicketRefSchema,
  permission: "ticket:close-reopen",
  handler: async (input, ctx) => refresh(await closeTicket(ctx, input)),
});

/** "No, it still happens": the reply saying what is still wrong reopens the ticket. */
export const reopenTicketAction = defineAction({
  name: "ticket.reopen",
  schema: TicketReopenSchema,
  permission: "ticket:close-reopen",
  handler: async (input, ctx) => {
    // It posts a reply: limited like one (fails open).
    await enforceUserLimit("ticketReply", ctx.actor.id, { failOpen: true });
    return refresh(await reopenTicket(ctx, input));
  },
});

export const replyToTicketAction = defineAction({
  name: "ticket.reply",
  schema: TicketCommentSchema,
  permission: "ticket:comment",
  handler: async (input, ctx) => {
    await enforceUserLimit("ticketReply", ctx.actor.id, { failOpen: true });
    return refresh(await addReply(ctx, input));
  },
});

export const addInternalNoteAction = defineAction({
  name: "ticket.note",
  schema: TicketCommentSchema,
  permission: "ticket:note",
  handler: async (input, ctx) => refresh(await addInternalNote(ctx, input)),
});

export const deleteTicketAction = defineAction({
  name: "ticket.delete",
  schema: TicketDeleteSchema,
  permission: "ticket:delete",
  handler: async (input, ctx) => refresh(await deleteTicket(ctx, input)),
});

export const bulkAssignTicketsAction = defineAction({
  name: "ticket.bulk_assign",
  schema: TicketBulkAssignSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await bulkAssign(ctx, input)),
});

export const bulkChangeTicketStatusAction = defineAction({
  name: "ticket.bulk_status",
  schema: TicketBulkStatusSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await bulkChangeStatus(ctx, input)),
});
