import { API_OPERATIONS } from "@/lib/api/operations";
import { ticketChange } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { enforceUserLimit } from "@/lib/rate-limit";
import { listTickets } from "@/lib/tickets/search";
import { createTicket } from "@/lib/tickets/service";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["tickets.list"], async ({ query }, { service }) => {
  const page = await listTickets(service.actor, query);
  return { items: page.items, nextCursor: page.nextCursor };
});

export const POST = apiRoute(API_OPERATIONS["tickets.create"], async ({ body }, { service }) => {
  // The web form's per-user limit too (fails open, as there).
  await enforceUserLimit("ticketCreate", service.actor.id, { failOpen: true });
  return ticketChange(await createTicket(service, body));
});
