import "server-only";
import type { Db } from "@/lib/db";
import { evaluateAnomalies } from "@/lib/security/anomaly";
import { flushRefusalWindows } from "@/lib/security/refusals";

/**
 * The background jobs the security outbox loop runs every round (lib/outbox/worker.ts): no second
 * job mechanism. Each is safe on several instances at once.
 */
export function securityJobs(db: Db): { name: string; run: () => Promise<unknown> }[] {
  return [
    { name: "refusal-summaries", run: () => flushRefusalWindows(db) },
    { name: "anomaly-rules", run: () => evaluateAnomalies(db) },
  ];
}
