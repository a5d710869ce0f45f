// Security events by email (issue 14 §1): the outbox's "email" destination (TESSERA_SECURITY_EMAIL)
// queues one mail per address for each event worth it (mailsEvent), at most one per event type,
// address and 15 minutes: a flood of refusals makes one mail, the next window another.
import { createElement } from "react";
import type { Db } from "@/lib/db";
import { emailConfig, type EmailConfig } from "@/lib/email/config";
import { queueEmail } from "@/lib/email/queue";
import { AccountMail } from "@/lib/email/templates/account";
import { neutraliseEvent } from "@/lib/outbox/format";
import type { SecurityEventPayload } from "@/lib/outbox/types";

export const ALERT_WINDOW_MINUTES = 15;

/**
 * The events worth an email (issue 14: throttling, refusals, anomalies, MFA resets, and the rest
 * an admin must act on). Left to the SIEM and the logs: every sign-out's session revocation and
 * the audit chain's periodic anchors, which would bury the rest.
 */
// SLA events reach the people who handle the ticket as notifications (lib/email/notify.ts).
const QUIET = new Set(["auth.sessions_revoked", "audit.anchor", "sla.warning", "sla.breached"]);

export function mailsEvent(event: Pick<SecurityEventPayload, "type" | "severity">): boolean {
  return event.severity !== "info" && !QUIET.has(event.type);
}

export async function queueSecurityAlert(
  db: Pick<Db, "$transaction">,
  raw: SecurityEventPayload,
  addresses: readonly string[],
  config: EmailConfig = emailConfig(),
): Promise<number> {
  // Control characters escaped and links defanged, as for every destination.
  const event = neutraliseEvent(raw);
  const subject = `[Tessera security] ${event.type} (${event.severity})`;
  const details = Object.entries(event.fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  let queued = 0;
  await db.$transaction(async (tx) => {
    for (const address of addresses) {
      // The same event type to the same address within the window: already told. The lock makes
      // concurrent deliveries of a flood (the outbox sends a batch at once) take turns here.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${address}|${subject}`}))`;
      const recent = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM "EmailMessage"
         WHERE "kind" = 'security_alert' AND "toAddress" = ${address} AND "subject" = ${subject}
           AND "createdAt" > now() - make_interval(mins => ${ALERT_WINDOW_MINUTES})`;
      if (recent[0]!.n > 0) continue;
      await queueEmail(tx, config, {
        kind: "security_alert",
        to: { address },
        subject,
        body: createElement(AccountMail, {
          preview: `Security event ${event.type}`,
          heading: `Security event: ${event.type}`,
          lines: [`Severity ${event.severity}, at ${event.time}.`, ...details.slice(0, 20)],
          action: { url: `${config.publicUrl}/admin/security`, label: "Open the Security page" },
          footer:
            `Sent to the address in TESSERA_SECURITY_EMAIL. At most one email per event type ` +
            `every ${ALERT_WINDOW_MINUTES} minutes; every event is in the audit log and the SIEM.`,
        }),
      });
      queued++;
    }
  });
  return queued;
}
