import { sealAuditEvents, verifyAuditChain } from "@/lib/audit";
import { auditEmailHash } from "@/lib/auth/server-keys";
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

/**
 * The "auth.sign_in" events of attempts with `email`, oldest first. A known account's events
 * carry its email; an unknown one's only the keyed hash of what was typed (issue 10 §5).
 */
export function signInEvents(db: Db, email: string) {
  return db.auditEvent.findMany({
    where: {
      action: "auth.sign_in",
      OR: [
        { metadata: { path: ["email"], equals: email } },
        { metadata: { path: ["emailHash"], equals: auditEmailHash(email) } },
      ],
    },
    orderBy: { id: "asc" },
  });
}
