import "server-only";
import { randomUUID } from "node:crypto";
import { prepareAuditJson } from "@/lib/audit/redact";
import { db, type Tx } from "@/lib/db";
import { mailsEvent } from "@/lib/email/security-alert";
import { logger } from "@/lib/logger";
import { destinationsFromEnv, enabledDestinations } from "@/lib/outbox/destinations";
import { wakeSecurityOutbox } from "@/lib/outbox/runtime";
import { enqueueOutbox } from "@/lib/outbox/store";
import type { DestinationName, SecurityEventPayload, Severity } from "@/lib/outbox/types";

// Security events: one structured pino line each (`"securityEvent": "<type>"`, easy to alert
// on in any log pipeline), and, when TESSERA_SIEM_URL / TESSERA_SLACK_WEBHOOK_URL are set, a row
// per destination in the SecurityOutbox table that a background loop delivers with retries.
// A request never waits for a receiver: it only writes that row. docs/decisions/010-security-events.md

/** The event types and their default severity. */
export const SECURITY_EVENTS = {
  /** Repeated sign-in failures for one account or ip (fields: email?, ip, failures, window). */
  "auth.sign_in_failures": "warning",
  /** A sign-in, password or ticket request refused by the rate limiter (fields: scope, key...). */
  "auth.throttled": "warning",
  /** MFA enrolled, reset by an admin, recovery code used, wrong codes (fields: change, userId). */
  "auth.mfa_changed": "notice",
  /** Every session of a user ended, by lib/auth/sessions.ts (fields: userId, by, reason: sign-out,
   * sign out everywhere, password change or reset, role or status change, MFA reset). */
  "auth.sessions_revoked": "notice",
  /** A user's role changed (fields: userId, from, to, by). */
  "user.role_changed": "warning",
  /** A user was deactivated (or reactivated: fields.active = true). */
  "user.deactivated": "warning",
  /** Refused access: an action or page the user may not use, or no session (fields: action). */
  "access.refused": "notice",
  /** A rule over the audit stream fired (lib/security/anomaly.ts; fields: anomalyId, rule,
   * summary, userId, details). Once per rule, key and window; severity set by the rule. */
  "security.anomaly": "warning",
  /** A signed position of the audit chain (fields: seq, hash, mac, at, verified): keep these;
   * "Verify integrity" compares the chain with them (ADR 004). */
  "audit.anchor": "notice",
  /** A ticket's SLA target entered its "at risk" share (lib/sla/escalate.ts; fields: ticketId,
   * number, target, dueAt, assigneeId, policyId). Once per ticket, target and cycle. */
  "sla.warning": "notice",
  /** A ticket's SLA target passed its due time (same fields). Once per ticket, target and cycle. */
  "sla.breached": "warning",
  /** The audit hash chain failed verification. */
  "audit.chain_broken": "alert",
} as const satisfies Record<string, Severity>;

export type SecurityEventType = keyof typeof SECURITY_EVENTS;

export type SecurityEventOptions = {
  /** The transaction of the change this event reports: the outbox rows commit with it. */
  tx?: Tx;
  severity?: Severity;
};

let warnedConfig = false;

function configuredDestinations(): DestinationName[] {
  try {
    return enabledDestinations(destinationsFromEnv());
  } catch (err) {
    if (!warnedConfig) {
      warnedConfig = true;
      logger.error({ err }, "security event forwarding is misconfigured; events are only logged");
    }
    return [];
  }
}

export function buildSecurityEvent(
  type: SecurityEventType,
  fields: Record<string, unknown>,
  severity: Severity = SECURITY_EVENTS[type],
): SecurityEventPayload {
  const redacted = prepareAuditJson(fields);
  return {
    id: randomUUID(),
    type,
    severity,
    time: new Date().toISOString(),
    app: "tessera",
    fields: redacted && typeof redacted === "object" && !Array.isArray(redacted) ? redacted : {},
  };
}

/**
 * Records a security event. Without `tx` it never throws: a failure to enqueue is logged and the
 * request goes on (the pino line has already been written). With `tx`, an enqueue failure aborts
 * the caller's transaction like any other write in it.
 */
export async function securityEvent(
  type: SecurityEventType,
  fields: Record<string, unknown> = {},
  options: SecurityEventOptions = {},
): Promise<SecurityEventPayload> {
  const event = buildSecurityEvent(type, fields, options.severity);
  const line = {
    securityEvent: type,
    severity: event.severity,
    eventId: event.id,
    ...event.fields,
  };
  if (event.severity === "alert") logger.error(line, `security event ${type}`);
  else if (event.severity === "warning") logger.warn(line, `security event ${type}`);
  else logger.info(line, `security event ${type}`);

  // Email gets the events an admin must hear of, not every sign-out (lib/email/security-alert.ts).
  const destinations = configuredDestinations().filter((d) => d !== "email" || mailsEvent(event));
  if (destinations.length === 0) return event;
  if (options.tx) {
    await enqueueOutbox(options.tx, event, destinations);
  } else {
    try {
      await enqueueOutbox(db, event, destinations);
    } catch (err) {
      logger.error({ err, eventId: event.id }, "security event could not be queued for delivery");
      return event;
    }
  }
  wakeSecurityOutbox();
  return event;
}
