import "server-only";
import { attachmentJob } from "@/lib/attachments/sweep";
import { sealAndAnchor } from "@/lib/audit/seal-job";
import { deliverEmails } from "@/lib/email/deliver";
import { inboundJob } from "@/lib/email/inbound/job";
import { notifyFromAudit } from "@/lib/email/notify";
import type { Db } from "@/lib/db";
import { evaluateAnomalies } from "@/lib/security/anomaly";
import { flushRefusalWindows } from "@/lib/security/refusals";
import { escalateSla } from "@/lib/sla/escalate";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { webhooksFromAudit } from "@/lib/webhooks/fanout";

/**
 * The background jobs the security outbox loop runs every round (lib/outbox/worker.ts): no second
 * job mechanism. Each is safe on several instances at once.
 */
export function securityJobs(db: Db): { name: string; run: () => Promise<unknown> }[] {
  return [
    // First: the other jobs read the audit stream, which the sealer chains.
    { name: "audit-seal", run: () => sealAndAnchor(db) },
    { name: "refusal-summaries", run: () => flushRefusalWindows(db) },
    { name: "anomaly-rules", run: () => evaluateAnomalies(db) },
    // SLA warnings and breaches (before the notifications, which mail them to the assignee).
    { name: "sla-escalation", run: () => escalateSla(db) },
    // Ticket notifications from the sealed audit events, then sending what is queued (ADR 023).
    { name: "email-notifications", run: () => notifyFromAudit(db) },
    { name: "email-delivery", run: () => deliverEmails(db) },
    // Webhooks: one delivery per subscribed webhook and ticket event, then sending (ADR 027).
    { name: "webhook-fanout", run: () => webhooksFromAudit(db) },
    { name: "webhook-delivery", run: () => deliverWebhooks(db) },
    // The help desk mailbox, every few minutes when an admin turned it on (Admin → Settings).
    { name: "email-inbound", run: () => inboundJob() },
    // Unclaimed uploads, abandoned ones, quarantined files to scan again (every 5 min).
    { name: "attachment-sweep", run: () => attachmentJob(db) },
  ];
}
