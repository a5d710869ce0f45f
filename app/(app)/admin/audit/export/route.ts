import { authorizeRequest } from "@/lib/action";
import { recordAuditStandalone } from "@/lib/audit";
import { AUDIT_CSV_COLUMNS, auditCsvRow, csvRow } from "@/lib/audit/csv";
import { parseAuditFilters } from "@/lib/audit/filters";
import { iterateAuditEvents } from "@/lib/audit/queries";
import { db } from "@/lib/db";
import { UnauthenticatedError } from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { requestContextFrom } from "@/lib/request-context";

// CSV export of the audit viewer's current filter. A Route Handler does its own authorization
// (the middleware is a convenience layer only), with the action wrapper's checks and refusal
// audit. The body is streamed: each pull reads the next keyset batch, so a million rows never
// sit in memory.

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const context = requestContextFrom(request.headers);
  // An admin who has not set up MFA while it is required is refused like anyone else.
  const access = await authorizeRequest("audit.export", "audit:export", context);
  if ("refusal" in access) {
    const signedOut = access.refusal instanceof UnauthenticatedError;
    return new Response(signedOut ? "Please sign in.\n" : "Forbidden\n", {
      status: signedOut ? 401 : 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const { user } = access;

  const filters = parseAuditFilters(new URL(request.url).searchParams);
  const recorded = await recordAuditStandalone(db, {
    actor: user,
    action: "audit.export",
    entityType: "AuditEvent",
    outcome: "SUCCESS",
    metadata: { filters },
    context,
  });

  // The log as of the click: everything before this export's own event, nothing appended later.
  const batches = iterateAuditEvents(user, filters, { before: recorded.id });
  const encoder = new TextEncoder();
  const log = requestLogger(context.requestId, { route: "audit.export" });
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvRow(AUDIT_CSV_COLUMNS)));
          return;
        }
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map(auditCsvRow).join("")));
      } catch (error) {
        log.error({ err: error, userId: user.id }, "audit export failed");
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });

  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="tessera-audit-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
