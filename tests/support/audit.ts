import { sealAuditEvents, verifyAuditChain } from "@/lib/audit";
import type { Db } from "@/lib/db";

/**
 * What "Verify integrity" does, for tests: seal what is pending (no app server runs the sealer
 * during vitest), then walk the whole chain. The anchor file is the run's own (vitest.config.ts);
 * a test with a database of its own passes `anchorFile` (its own file, or null for none): every
 * fresh embedded database has the same identity (PGlite's "postgres" oid), so it would be compared
 * with the anchors the suite's main database wrote. `secret`: the AUTH_SECRET of the app that
 * wrote the anchors, when the test process does not have it (Playwright specs).
 */
export async function sealAndVerify(
  db: Db,
  options: { anchorFile?: string | null; secret?: string } = {},
) {
  await sealAuditEvents(db, { wait: true });
  return verifyAuditChain(db, { from: "start", ...options });
}
