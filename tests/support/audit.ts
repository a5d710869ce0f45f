import { sealAuditEvents, verifyAuditChain } from "@/lib/audit";
import type { Db } from "@/lib/db";

/**
 * What "Verify integrity" does, for tests: seal what is pending (no app server runs the sealer
 * during vitest), then walk the whole chain. The anchor file is the run's own (vitest.config.ts).
 */
export async function sealAndVerify(db: Db) {
  await sealAuditEvents(db, { wait: true });
  return verifyAuditChain(db, { from: "start" });
}
