import { API_OPERATIONS } from "@/lib/api/operations";
import { ticketChange } from "@/lib/api/results";
import { apiRoute, parseWith } from "@/lib/api/route";
import { ticketIdForWrite } from "@/lib/api/tickets";
import { enforceUserLimit } from "@/lib/rate-limit";
import { NotFoundError } from "@/lib/errors";
import { auditHiddenTicket } from "@/lib/tickets/mutation";
import { getTicket } from "@/lib/tickets/queries";
import { TicketEditSchema } from "@/lib/tickets/schemas";
import { editTicket } from "@/lib/tickets/service";
import { triageTicket } from "@/lib/tickets/triage";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["tickets.get"], async ({ params }, { service }) => {
  // The conversation is GET .../comments (paged); here the ticket and what the owner may do.
  const {
    comments: _c,
    commentWindow: _w,
    ...ticket
  } = await getTicket(service.actor, {
    number: params.number,
  });
  return ticket;
});

/**
 * Title/description through the edit rules, priority/category through triage: the same services
 * as the ticket page's two forms, in that order, each with the version the previous one left.
 */
export const PATCH = apiRoute(
  API_OPERATIONS["tickets.update"],
  async ({ params, body }, { service }) => {
    const ticketId = await ticketIdForWrite(params.number);
    let version = body.version;
    let result = null;
    if (body.title !== undefined || body.description !== undefined) {
      await enforceUserLimit("ticketEdit", service.actor.id, { failOpen: true });
      // A field left out keeps its value: the edit form always sends both.
      const current = await getTicket(service.actor, { id: ticketId }).catch(async (error) => {
        // A hidden ticket: the same audited probe as the service's own check would record.
        if (error instanceof NotFoundError)
          await auditHiddenTicket(service, "ticket.edit", ticketId);
        throw error;
      });
      const input = parseWith(TicketEditSchema, {
        ticketId,
        version,
        title: body.title ?? current.title,
        description: body.description ?? current.description,
      });
      result = await editTicket(service, input);
      version = result.version;
    }
    if (body.priority !== undefined || body.categoryId !== undefined) {
      result = await triageTicket(service, {
        ticketId,
        version,
        ...(body.priority !== undefined && { priority: body.priority }),
        ...(body.categoryId !== undefined && { categoryId: body.categoryId }),
      });
    }
    return ticketChange(result!);
  },
);
