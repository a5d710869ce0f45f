import { db } from "@/lib/db";
import { readiness } from "@/lib/health";
import { isShuttingDown } from "@/lib/shutdown";

// Readiness: 200 when the database answers and every shipped migration is applied, else 503
// with which check failed (no error details: this endpoint is public). 503 as soon as the process
// is stopping (SIGTERM), so that a load balancer sends nothing new while it drains.
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  if (isShuttingDown()) return Response.json({ status: "shutting down" }, { status: 503, headers });
  const result = await readiness(db);
  return Response.json(
    { status: result.ready ? "ready" : "not ready", checks: result.checks },
    { status: result.ready ? 200 : 503, headers },
  );
}
