import { authorizeRequest } from "@/lib/action";
import { recordAuditStandalone } from "@/lib/audit";
import { AUDIT_CSV_COLUMNS, auditCsvRow, csvRow } from "@/lib/audit/csv";
import { parseAuditFilters } from "@/lib/audit/filters";
import { iterateAuditEvents } from "@/lib/audit/queries";
import { db } from "@/lib/db";
import { UnauthenticatedError } from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { requestContextFrom } from "@/lib/request-context";
import { isSameOriginRequest } from "@/lib/security/headers";

// CSV export of the audit viewer's current filter. A Route Handler does its own authorization
// (the middleware is a convenience layer only), with the action wrapper's checks and refusal
// audit. The body is streamed: each pull reads the next keyset batch, so a million rows never
// sit in memory.
//
// A POST from the audit page's form (the filters in the body), refused unless it comes from our
// own origin: an export does work and writes an audit row, so a cross-site link or image (the
// session cookie is SameSite=Lax, sent on top-level GETs) or a HEAD must not start one.

export const dynamic = "force-dynamic";

const ALLOW = { allow: "POST", "cache-control": "no-store" };

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...extra },
  });
}

/** GET and HEAD do nothing: 405, no export, no audit row. */
export function GET(): Response {
  return plain(405, "Use the Export CSV button on the audit log page.", ALLOW);
}

export function HEAD(): Response {
  return new Response(null, { status: 405, headers: ALLOW });
}

export async function POST(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (!isSameOriginRequest(request.headers, url, process.env.AUTH_URL || undefined)) {
    return plain(403, "Cross-site request refused.");
  }
  const context = requestContextFrom(request.headers);
  // An admin who has not set up MFA while it is required is refused like anyone else.
  const access = await authorizeRequest("audit.export", "audit:export", context);
  if ("refusal" in access) {
    const signedOut = access.refusal instanceof UnauthenticatedError;
    return plain(signedOut ? 401 : 403, signedOut ? "Please sign in." : "Forbidden");
  }
  const { user } = access;

  const form = await request.formData().catch(() => null);
  const fields = new URLSearchParams();
  for (const [key, value] of form?.entries() ?? []) {
    if (typeof value === "string") fields.append(key, value);
  }
  const filters = parseAuditFilters(fields);
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
