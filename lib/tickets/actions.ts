"use server";
// Thin server actions over lib/tickets/service.ts. Each goes through defineAction: parse with the
// form's schema -> requireUser() -> coarse permission -> service (which re-checks ownership,
// state and version in its one transaction). Refusals are audited by the wrapper.
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { enforceUserLimit } from "@/lib/rate-limit";
import {
  TicketAssignSchema,
  TicketBulkAssignSchema,
  TicketBulkStatusSchema,
  TicketCategoryChangeSchema,
  TicketCommentSchema,
  TicketCreateSchema,
  TicketDeleteSchema,
  TicketEditSchema,
  TicketPriorityChangeSchema,
  TicketRefSchema,
  TicketReopenSchema,
  TicketStatusChangeSchema,
} from "@/lib/tickets/schemas";
import { bulkAssign, bulkChangeStatus } from "@/lib/tickets/bulk";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import {
  assignTicket,
  changeCategory,
  changePriority,
  changeStatus,
  closeTicket,
  createTicket,
  deleteTicket,
  editTicket,
  reopenTicket,
  takeTicket,
} from "@/lib/tickets/service";

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
    return refresh(await createTicket(ctx, input));
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

export const changeTicketPriorityAction = defineAction({
  name: "ticket.priority",
  schema: TicketPriorityChangeSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await changePriority(ctx, input)),
});

export const changeTicketCategoryAction = defineAction({
  name: "ticket.category",
  schema: TicketCategoryChangeSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await changeCategory(ctx, input)),
});

export const assignTicketAction = defineAction({
  name: "ticket.assign",
  schema: TicketAssignSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await assignTicket(ctx, input)),
});

export const takeTicketAction = defineAction({
  name: "ticket.take",
  schema: TicketRefSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await takeTicket(ctx, input)),
});

/** Staff status control. Requesters use closeTicketAction / reopenTicketAction. */
export const changeTicketStatusAction = defineAction({
  name: "ticket.status",
  schema: TicketStatusChangeSchema,
  permission: "ticket:triage",
  handler: async (input, ctx) => refresh(await changeStatus(ctx, input)),
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
