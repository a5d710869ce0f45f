// Where security events go, from the environment:
//   TESSERA_SIEM_URL           syslog+udp://host:514, syslog+tcp://host:514, syslog+tls://host:6514
//                              (RFC 5424; TCP/TLS framed by octet counting, RFC 6587), or an
//                              http(s):// URL that receives one JSON object per POST
//   TESSERA_SLACK_WEBHOOK_URL  a Slack-compatible incoming webhook (POST {"text": ...}); also
//                              Mattermost and Rocket.Chat incoming webhooks
//   TESSERA_SECURITY_EMAIL     one or more addresses (comma-separated) that get warnings and
//                              alerts by email, one per event type and 15 minutes (lib/email/
//                              security-alert.ts; sent when SMTP_URL is set)
// Unset = that destination is off (events are still logged by pino).
import type { DestinationName } from "@/lib/outbox/types";

export type SiemTarget =
  | { kind: "syslog"; protocol: "udp" | "tcp" | "tls"; host: string; port: number }
  | { kind: "http"; url: string };

export type Destinations = { siem?: SiemTarget; slack?: string; email?: string[] };

export class DestinationConfigError extends Error {}

export function parseSiemUrl(raw: string): SiemTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationConfigError("TESSERA_SIEM_URL is not a URL");
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme === "http" || scheme === "https") return { kind: "http", url: url.toString() };
  const match = /^syslog\+(udp|tcp|tls)$/.exec(scheme);
  if (!match || !url.hostname) {
    throw new DestinationConfigError(
      "TESSERA_SIEM_URL must be syslog+udp://, syslog+tcp://, syslog+tls:// or http(s)://",
    );
  }
  const protocol = match[1] as "udp" | "tcp" | "tls";
  const port = url.port ? Number(url.port) : protocol === "tls" ? 6514 : 514;
  // IPv6 literals come back bracketed from URL; net/dgram want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { kind: "syslog", protocol, host, port };
}

export function parseSlackUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationConfigError("TESSERA_SLACK_WEBHOOK_URL is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DestinationConfigError("TESSERA_SLACK_WEBHOOK_URL must be an http(s) URL");
  }
  return url.toString();
}

export function parseEmailList(raw: string): string[] {
  const list = raw
    .split(",")
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  if (list.length === 0 || list.some((a) => !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(a))) {
    throw new DestinationConfigError(
      "TESSERA_SECURITY_EMAIL must be addresses separated by commas",
    );
  }
  return list;
}

export function destinationsFromEnv(env: NodeJS.ProcessEnv = process.env): Destinations {
  const out: Destinations = {};
  if (env.TESSERA_SIEM_URL) out.siem = parseSiemUrl(env.TESSERA_SIEM_URL);
  if (env.TESSERA_SLACK_WEBHOOK_URL) out.slack = parseSlackUrl(env.TESSERA_SLACK_WEBHOOK_URL);
  if (env.TESSERA_SECURITY_EMAIL) out.email = parseEmailList(env.TESSERA_SECURITY_EMAIL);
  return out;
}

export function enabledDestinations(d: Destinations): DestinationName[] {
  const names: DestinationName[] = [];
  if (d.siem) names.push("siem");
  if (d.slack) names.push("slack");
  if (d.email) names.push("email");
  return names;
}

/** For logs: never print a webhook URL (its path is the secret). */
export function describeDestinations(d: Destinations): string {
  const parts: string[] = [];
  if (d.siem)
    parts.push(
      d.siem.kind === "http"
        ? `siem=${new URL(d.siem.url).origin}`
        : `siem=syslog+${d.siem.protocol}://${d.siem.host}:${d.siem.port}`,
    );
  if (d.slack) parts.push(`slack=${new URL(d.slack).origin}`);
  if (d.email) parts.push(`email=${d.email.length} address(es)`);
  return parts.join(" ") || "none";
}
