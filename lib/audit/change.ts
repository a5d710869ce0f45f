// One SUCCESS event per change, for a service that audits changes to one entity type.
//
// recordAudit comes through the audit module's public surface (not ./record) on purpose: a test
// that stands in for it there (tests/integration/tickets-audit.test.ts) then reaches these too.
import { recordAudit, type AuditActor, type AuditContext, type RecordedAudit } from "@/lib/audit";
import type { Tx } from "@/lib/db";

/** Who changed something and from which request: a service's context fits. */
export type ChangeContext = { actor: AuditActor; request?: AuditContext | null };

/**
 * The recorder a service uses for its own entity type: each call writes one SUCCESS event for a
 * change the context's actor made, inside the change's transaction (as recordAudit).
 */
export function changeRecorder(entityType: string) {
  return (
    tx: Tx,
    ctx: ChangeContext,
    action: string,
    entityId: string,
    before: unknown,
    after: unknown,
    metadata?: unknown,
  ): Promise<RecordedAudit> =>
    recordAudit(tx, {
      actor: ctx.actor,
      action,
      entityType,
      entityId,
      outcome: "SUCCESS",
      before,
      after,
      metadata,
      context: ctx.request,
    });
}
