// Sending one event to one destination. Every send has a hard timeout, so a receiver that
// accepts the connection and then stalls cannot hold a delivery slot forever.
import { createSocket } from "node:dgram";
import { hostname } from "node:os";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Db } from "@/lib/db";
import { queueSecurityAlert } from "@/lib/email/security-alert";
import type { Destinations, SiemTarget } from "@/lib/outbox/destinations";
import { formatSlack, formatSyslog, frameOctetCounted, neutraliseEvent } from "@/lib/outbox/format";
import type { DestinationName, SecurityEventPayload } from "@/lib/outbox/types";

export class DeliveryError extends Error {}

const MAX_UDP = 8192; // keep datagrams well under typical syslog receiver limits

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "tessera-security-events" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error", // a webhook that redirects is misconfigured; never follow blindly
    });
  } catch (err) {
    const e = err as Error;
    throw new DeliveryError(
      e.name === "TimeoutError" ? `timeout after ${timeoutMs} ms` : e.message,
    );
  }
  // Drain the body so the connection can be reused; its content is not needed.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new DeliveryError(`HTTP ${response.status}`);
}

function sendUdp(host: string, port: number, line: string, timeoutMs: number): Promise<void> {
  const data = Buffer.from(line, "utf8").subarray(0, MAX_UDP);
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
    const timer = setTimeout(() => {
      socket.close();
      reject(new DeliveryError(`timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    // UDP has no acknowledgement: "sent" is the best we can know. Prefer TCP/TLS for audit.
    socket.send(data, port, host, (err) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(new DeliveryError(err.message));
      else resolve();
    });
  });
}

function sendStream(
  target: Extract<SiemTarget, { kind: "syslog" }>,
  line: string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const write = () => socket.end(frameOctetCounted(line), () => done());
    const socket: Socket =
      target.protocol === "tls"
        ? tlsConnect({ host: target.host, port: target.port, servername: target.host }, write)
        : netConnect({ host: target.host, port: target.port }, write);
    const timer = setTimeout(
      () => done(new DeliveryError(`timeout after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on("error", (err) => done(err));
    function done(err?: Error) {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err instanceof DeliveryError ? err : new DeliveryError(err.message));
      else resolve();
    }
  });
}

export type SendOptions = {
  timeoutMs: number;
  hostname?: string;
  /** The database the "email" destination queues its mail in (lib/email/security-alert.ts). */
  db?: Pick<Db, "$transaction">;
};

/** Delivers one event to one destination, or throws a DeliveryError saying why not. */
export async function deliver(
  destination: DestinationName,
  event: SecurityEventPayload,
  destinations: Destinations,
  options: SendOptions,
): Promise<void> {
  if (destination === "email") {
    if (!destinations.email) throw new DeliveryError("TESSERA_SECURITY_EMAIL is not set");
    if (!options.db) throw new DeliveryError("no database to queue the email in");
    await queueSecurityAlert(options.db, event, destinations.email);
    return;
  }
  if (destination === "slack") {
    if (!destinations.slack) throw new DeliveryError("TESSERA_SLACK_WEBHOOK_URL is not set");
    return postJson(destinations.slack, formatSlack(event), options.timeoutMs);
  }
  const siem = destinations.siem;
  if (!siem) throw new DeliveryError("TESSERA_SIEM_URL is not set");
  if (siem.kind === "http") return postJson(siem.url, neutraliseEvent(event), options.timeoutMs);
  const line = formatSyslog(event, options.hostname ?? hostname(), process.pid);
  if (siem.protocol === "udp") return sendUdp(siem.host, siem.port, line, options.timeoutMs);
  return sendStream(siem, line, options.timeoutMs);
}
