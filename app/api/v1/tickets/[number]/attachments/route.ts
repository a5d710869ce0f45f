import { API_OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { visibleTicketId } from "@/lib/api/tickets";
import { ticketAttachments } from "@/lib/attachments/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  API_OPERATIONS["tickets.attachments.list"],
  async ({ params }, { service }) => {
    const ticketId = await visibleTicketId(service.actor, params.number);
    const { ticket, byComment } = await ticketAttachments(service.actor, ticketId);
    return {
      items: [
        ...ticket.map((a) => ({ ...a, commentId: null })),
        ...[...byComment].flatMap(([commentId, files]) => files.map((a) => ({ ...a, commentId }))),
      ],
    };
  },
);
