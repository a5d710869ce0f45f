import { API_OPERATIONS } from "@/lib/api/operations";
import { ticketChange } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { ticketIdForWrite } from "@/lib/api/tickets";
import { assignTicket } from "@/lib/tickets/service";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  API_OPERATIONS["tickets.assign"],
  async ({ params, body }, { service }) =>
    ticketChange(
      await assignTicket(service, { ...body, ticketId: await ticketIdForWrite(params.number) }),
    ),
);
