import { db } from "@/lib/db";
import { metricsResponse } from "@/lib/metrics/endpoint";

// Prometheus metrics: 404 unless TESSERA_METRICS_TOKEN is set, then only with
// `Authorization: Bearer <token>` (lib/metrics/endpoint.ts, docs/operations.md).
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return metricsResponse(request, db);
}
