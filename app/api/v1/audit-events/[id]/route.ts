import { API_OPERATIONS } from "@/lib/api/operations";
import { auditEventView } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { getAuditEvent } from "@/lib/audit/queries";
import { NotFoundError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["audit.get"], async ({ params }, { service }) => {
  const found = await getAuditEvent(service.actor, BigInt(params.id));
  if (!found) throw new NotFoundError("Audit event not found.");
  const { event } = found;
  return {
    ...auditEventView(event),
    userAgent: event.userAgent,
    requestId: event.requestId,
    before: event.before,
    after: event.after,
    metadata: event.metadata,
    prevHash: event.prevHash,
    hash: event.hash,
  };
});
