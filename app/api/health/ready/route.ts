import { db } from "@/lib/db";
import { readiness } from "@/lib/health";

// Readiness: 200 when the database answers and every shipped migration is applied, else 503
// with which check failed (no error details: this endpoint is public).
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const result = await readiness(db);
  return Response.json(
    { status: result.ready ? "ready" : "not ready", checks: result.checks },
    { status: result.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
