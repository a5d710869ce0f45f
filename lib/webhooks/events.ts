// The events a webhook can subscribe to (ADR 027, docs/webhooks.md), and which audit actions make
// them. Pure data: shared by the admin form and the fan-out job (lib/webhooks/fanout.ts).

export const WEBHOOK_EVENTS = [
  "ticket.created",
  "ticket.updated",
  "ticket.replied",
  "ticket.status_changed",
  "ticket.assigned",
  "sla.warning",
  "sla.breached",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by the "Send test event" button only; never subscribed to. */
export const TEST_EVENT = "webhook.test";

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "ticket.created": "Ticket created",
  "ticket.updated": "Ticket updated (title, description, priority, category)",
  "ticket.replied": "Public reply (internal notes are never sent)",
  "ticket.status_changed": "Status changed",
  "ticket.assigned": "Assigned",
  "sla.warning": "SLA at risk",
  "sla.breached": "SLA breached",
};

/**
 * The audit action (lib/tickets, lib/sla) behind each event. "ticket.reply" counts only when
 * its metadata says it was public (internal: false); "ticket.note" is never an event.
 */
export const AUDIT_ACTION_EVENTS: Record<string, WebhookEvent> = {
  "ticket.create": "ticket.created",
  "ticket.edit": "ticket.updated",
  "ticket.priority": "ticket.updated",
  "ticket.category": "ticket.updated",
  "ticket.reply": "ticket.replied",
  "ticket.status": "ticket.status_changed",
  "ticket.close": "ticket.status_changed",
  "ticket.reopen": "ticket.status_changed",
  "ticket.assign": "ticket.assigned",
  "ticket.take": "ticket.assigned",
  "sla.warning": "sla.warning",
  "sla.breached": "sla.breached",
};

/** The event an audit row makes, or null (a note, a refusal, an unrelated action). */
export function eventOfAudit(row: {
  action: string;
  outcome: string;
  metadata: Record<string, unknown> | null;
}): WebhookEvent | null {
  if (row.outcome !== "SUCCESS") return null;
  const event = AUDIT_ACTION_EVENTS[row.action];
  if (!event) return null;
  if (row.action === "ticket.reply" && row.metadata?.internal !== false) return null;
  return event;
}
