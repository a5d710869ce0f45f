// Wire formats: RFC 5424 syslog lines and Slack-compatible chat messages.
import type { SecurityEventPayload, Severity } from "@/lib/outbox/types";

// RFC 5424 §6.2.1: facility 10 = security/authorization (authpriv), severity by event weight.
const FACILITY_AUTHPRIV = 10;
const SYSLOG_SEVERITY: Record<Severity, number> = { alert: 1, warning: 4, notice: 5, info: 6 };

/** PRINTUSASCII without space, "=", "]" and '"' (§6.3.3 SD-NAME), at most 32 characters. */
function sdName(value: string): string {
  return value.replace(/[^\x21-\x7e]|[= \]"]/g, "_").slice(0, 32) || "_";
}

/** §6.3.3: inside PARAM-VALUE, '"', '\' and ']' must be escaped. */
function sdValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** §6.2.4: HOSTNAME, APP-NAME, PROCID and MSGID are printable ASCII, "-" when unknown. */
function header(value: string | undefined, max: number): string {
  const clean = (value ?? "").replace(/[^\x21-\x7e]/g, "").slice(0, max);
  return clean || "-";
}

export function formatSyslog(
  event: SecurityEventPayload,
  hostname: string | undefined,
  procId: string | number | undefined,
): string {
  const pri = FACILITY_AUTHPRIV * 8 + SYSLOG_SEVERITY[event.severity];
  // Structured data: a private SD-ID (name@private-enterprise-number; 32473 is the example
  // number reserved by RFC 5612 for documentation: receivers only need it to be stable).
  const params = [`id="${sdValue(event.id)}"`, `type="${sdValue(event.type)}"`];
  for (const [key, value] of Object.entries(event.fields)) {
    if (value === undefined || value === null || typeof value === "object") continue;
    params.push(`${sdName(key)}="${sdValue(String(value))}"`);
  }
  const sd = `[tessera@32473 ${params.join(" ")}]`;
  // MSG: the whole event as JSON (nested fields included), UTF-8 with the BOM §6.4 asks for.
  const msg = `\uFEFF${JSON.stringify(event)}`;
  return [
    `<${pri}>1`,
    event.time,
    header(hostname, 255),
    "tessera",
    header(procId === undefined ? undefined : String(procId), 128),
    header(event.type, 32),
    sd,
    msg,
  ].join(" ");
}

/** RFC 6587 §3.4.1 octet counting, for syslog over TCP and TLS. */
export function frameOctetCounted(line: string): Buffer {
  const body = Buffer.from(line, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}

/** Slack mrkdwn: &, < and > are control characters and must be escaped. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const ICON: Record<Severity, string> = {
  alert: ":rotating_light:",
  warning: ":warning:",
  notice: ":information_source:",
  info: ":information_source:",
};

export function formatSlack(event: SecurityEventPayload): { text: string } {
  const details = Object.entries(event.fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
  const line = `${ICON[event.severity]} Tessera security event \`${event.type}\` at ${event.time}`;
  return { text: escapeSlack(details ? `${line}: ${details}` : line).slice(0, 3000) };
}
