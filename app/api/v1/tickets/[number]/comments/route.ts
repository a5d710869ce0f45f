import { API_OPERATIONS } from "@/lib/api/operations";
import { ticketChange } from "@/lib/api/results";
import { apiRoute, parseWith } from "@/lib/api/route";
import { listTicketComments, ticketIdForWrite, visibleTicketId } from "@/lib/api/tickets";
import { assertCan } from "@/lib/auth/permissions";
import { enforceUserLimit } from "@/lib/rate-limit";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { TicketCommentSchema } from "@/lib/tickets/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  API_OPERATIONS["tickets.comments.list"],
  async ({ params, query }, { service }) =>
    listTicketComments(service.actor, await visibleTicketId(service.actor, params.number), query),
);

/** A reply (ticket:comment, rate limited like the form's), or a note (ticket:note, staff). */
export const POST = apiRoute(
  API_OPERATIONS["tickets.comments.create"],
  async ({ params, body }, { service }) => {
    if (body.internal) assertCan(service.actor, "ticket:note");
    const input = parseWith(TicketCommentSchema, {
      ticketId: await ticketIdForWrite(params.number),
      body: body.body,
      attachmentIds: body.attachmentIds,
    });
    if (!body.internal) await enforceUserLimit("ticketReply", service.actor.id, { failOpen: true });
    const result = body.internal
      ? await addInternalNote(service, input)
      : await addReply(service, input);
    return { ticket: ticketChange(result.ticket), comment: { id: result.commentId } };
  },
);
