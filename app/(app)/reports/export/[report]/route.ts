import { authorizeRequest } from "@/lib/action";
import { recordAuditStandalone } from "@/lib/audit";
import { csvRow } from "@/lib/audit/csv";
import { getDateContext } from "@/lib/dates-server";
import { db } from "@/lib/db";
import { UnauthenticatedError } from "@/lib/errors";
import { effectiveFilters, getReport } from "@/lib/reports/queries";
import { REPORT_KINDS, parseReportFilters, type ReportKind } from "@/lib/reports/schemas";
import { reportTable } from "@/lib/reports/tables";
import { requestContextFrom } from "@/lib/request-context";
import { isSameOriginRequest } from "@/lib/security/headers";

// CSV export of one report with the page's filters, scoped like the page (a technician gets their
// own numbers whatever the form says). A POST from the page's form, refused cross-site, like the
// audit export: an export is audited ("report.export"), so a link or an image must not start one.
// Cells go through lib/audit/csv.ts (RFC 4180 quoting and formula-injection neutralisation:
// category and user names are user-supplied text).

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
  return plain(405, "Use the Export CSV button on the reports page.", ALLOW);
}

export function HEAD(): Response {
  return new Response(null, { status: 405, headers: ALLOW });
}

export async function POST(
  request: Request,
  { params }: { params: Promise<{ report: string }> },
): Promise<Response> {
  const url = new URL(request.url);
  if (!isSameOriginRequest(request.headers, url, process.env.AUTH_URL || undefined)) {
    return plain(403, "Cross-site request refused.");
  }
  const context = requestContextFrom(request.headers);
  const access = await authorizeRequest("report.export", "reports:read", context);
  if ("refusal" in access) {
    const signedOut = access.refusal instanceof UnauthenticatedError;
    return plain(signedOut ? 401 : 403, signedOut ? "Please sign in." : "Forbidden");
  }
  const { user } = access;
  const { report } = await params;
  if (!(REPORT_KINDS as readonly string[]).includes(report)) return plain(404, "No such report.");
  const kind = report as ReportKind;

  const form = await request.formData().catch(() => null);
  const fields = new URLSearchParams();
  for (const [key, value] of form?.entries() ?? []) {
    if (typeof value === "string") fields.append(key, value);
  }
  const dates = await getDateContext();
  const filters = parseReportFilters(fields, dates);
  const data = await getReport(user, kind, filters, dates);
  await recordAuditStandalone(db, {
    actor: user,
    action: "report.export",
    entityType: "Report",
    entityId: kind,
    outcome: "SUCCESS",
    metadata: { report: kind, filters: effectiveFilters(user, filters), timeZone: dates.timeZone },
    context,
  });
  const table = reportTable(kind, data);
  const body = [csvRow(table.columns), ...table.rows.map(csvRow)].join("");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="tessera-${kind}-${filters.from}-${filters.to}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
