import { API_OPERATIONS } from "@/lib/api/operations";
import { auditEventView } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { listAuditEvents } from "@/lib/audit/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["audit.list"], async ({ query }, { service }) => {
  const { before, ...filters } = query;
  const page = await listAuditEvents(service.actor, {
    ...filters,
    ...(before !== undefined && { before: BigInt(before) }),
  });
  return {
    items: page.events.map(auditEventView),
    nextBefore: page.nextBefore === null ? null : page.nextBefore.toString(),
  };
});
