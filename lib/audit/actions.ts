"use server";
import { z } from "zod";
import { defineAction } from "@/lib/action";
import { recordAuditStandalone } from "@/lib/audit";
import { verifyAuditIntegrity } from "@/lib/audit/queries";
import { db } from "@/lib/db";

/**
 * "Verify integrity" on the audit page. An action rather than a page load: it takes tens of
 * seconds at a million events (a full walk) and must never run on an ordinary page view. The check itself is
 * audited, with its answer, so "who verified, when, and what did it say" is on record too.
 */
export const verifyAuditIntegrityAction = defineAction({
  name: "audit.verify",
  schema: z.object({ full: z.boolean().optional() }),
  permission: "audit:read",
  async handler(input, ctx) {
    const report = await verifyAuditIntegrity(ctx.actor, { full: input.full });
    await recordAuditStandalone(db, {
      actor: ctx.actor,
      action: "audit.verify",
      entityType: "AuditEvent",
      entityId: report.ok ? null : report.brokenId,
      outcome: "SUCCESS",
      metadata: report.ok
        ? { intact: true, count: report.count, full: report.full, lastSeq: report.lastSeq }
        : { intact: false, count: report.count, brokenId: report.brokenId, reason: report.reason },
      context: ctx.request,
    });
    return report;
  },
});
