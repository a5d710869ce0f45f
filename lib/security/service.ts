import "server-only";
import { recordAudit } from "@/lib/audit";
import { assertCan } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import type { AcknowledgeAnomalyData } from "@/lib/security/schemas";
import type { ServiceContext } from "@/lib/service-context";

/** An admin marks an anomaly as seen: the row and its audit event commit together. */
export async function acknowledgeAnomaly(
  ctx: ServiceContext,
  input: AcknowledgeAnomalyData,
): Promise<{ id: string }> {
  assertCan(ctx.actor, "security:anomalies");
  const id = BigInt(input.anomalyId);
  return db.$transaction(
    async (tx) => {
      const anomaly = await tx.securityAnomaly.findUnique({
        where: { id },
        select: { id: true, rule: true, key: true, acknowledgedAt: true },
      });
      if (!anomaly) throw new NotFoundError("Unknown anomaly.");
      const { count } = await tx.securityAnomaly.updateMany({
        where: { id, acknowledgedAt: null },
        data: { acknowledgedAt: new Date(), acknowledgedById: ctx.actor.id },
      });
      if (count !== 1) throw new ConflictError("Already acknowledged.");
      await recordAudit(tx, {
        actor: ctx.actor,
        action: "security.anomaly_ack",
        entityType: "SecurityAnomaly",
        entityId: anomaly.id.toString(),
        outcome: "SUCCESS",
        metadata: { rule: anomaly.rule, key: anomaly.key },
        context: ctx.request,
      });
      return { id: anomaly.id.toString() };
    },
    { isolationLevel: "ReadCommitted" },
  );
}
