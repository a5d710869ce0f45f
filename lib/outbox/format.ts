// Wire formats: RFC 5424 syslog lines and Slack-compatible chat messages, and the neutralising
// of attacker-chosen text (a failed sign-in's "email", a user agent) on its way to an alert.
import type { SecurityEventPayload, Severity } from "@/lib/outbox/types";

// Control characters that could forge a new log line or hide text: C0 (newline, CR, tab...),
// DEL, C1 (NEL), the Unicode line/paragraph separators, bidi overrides and zero-width marks.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Makes one alert value inert: control characters become visible escapes (`\n`, `\u0085`), so a
 * value can never start a new syslog line or a fake chat line, and URLs are defanged
 * (`http://` -> `hxxp://`, `https://` -> `hxxps://`, any other `scheme://` -> `scheme[://]`), so no
 * receiver turns them into a link. Clean text comes back unchanged.
 */
export function neutraliseAlertText(value: string): string {
  return value
    .replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\b(h)tt(ps?):\/\//gi, (_m, h: string, rest: string) => `${h}xx${rest}://`)
    .replace(/\b(?!hxxps?:)([a-z][a-z0-9+.-]*):\/\//gi, "$1[://]");
}

/** Slack, Mattermost and Rocket.Chat link bare domains (`evil.example`): break their dots too. */
function defangDomains(value: string): string {
  return value.replace(
    /\b((?:[a-z0-9-]+\.)+)([a-z]{2,63})\b/gi,
    (_m, head: string, tld: string) => `${head.replace(/\./g, "[.]")}${tld}`,
  );
}

function neutraliseValue(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === "string") return text(value);
  if (Array.isArray(value)) return value.map((v) => neutraliseValue(v, text));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [text(k), neutraliseValue(v, text)]),
    );
  }
  return value;
}

/**
 * The event as every destination receives it: each string in `fields` (and the type) passed
 * through neutraliseAlertText. Applied at delivery, so rows queued before this existed are
 * neutralised too.
 */
export function neutraliseEvent(event: SecurityEventPayload): SecurityEventPayload {
  return {
    ...event,
    type: neutraliseAlertText(event.type),
    fields: neutraliseValue(event.fields, neutraliseAlertText) as Record<string, unknown>,
  };
}

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
  raw: SecurityEventPayload,
  hostname: string | undefined,
  procId: string | number | undefined,
): string {
  const event = neutraliseEvent(raw);
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

export function formatSlack(raw: SecurityEventPayload): {
  text: string;
  unfurl_links: false;
  unfurl_media: false;
} {
  const event = neutraliseEvent(raw);
  const fields = neutraliseValue(event.fields, defangDomains) as Record<string, unknown>;
  const details = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
  const line = `${ICON[event.severity]} Tessera security event \`${event.type}\` at ${event.time}`;
  return {
    text: escapeSlack(details ? `${line}: ${details}` : line).slice(0, 3000),
    unfurl_links: false,
    unfurl_media: false,
  };
}
