import { createSocket } from "node:dgram";
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { backoffMs } from "@/lib/outbox/backoff";
import {
  DestinationConfigError,
  parseSiemUrl,
  describeDestinations,
} from "@/lib/outbox/destinations";
import { formatSlack, formatSyslog } from "@/lib/outbox/format";
import { deliver } from "@/lib/outbox/transports";
import type { SecurityEventPayload } from "@/lib/outbox/types";

// Wire formats and the syslog transports against real sockets on 127.0.0.1.

const event: SecurityEventPayload = {
  id: "5f0c6c1e-0000-4000-8000-000000000001",
  type: "user.role_changed",
  severity: "warning",
  time: "2026-11-27T10:00:00.000Z",
  app: "tessera",
  fields: { userId: "u1", from: "USER", to: 'ADMIN"]\\', by: "a@b.c", extra: { nested: 1 } },
};

// RFC 5424: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD SP MSG
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (\[.*?[^\\]\]) \uFEFF(.*)$/s;

describe("syslog format (RFC 5424)", () => {
  it("has the header fields, escaped structured data and the JSON event as MSG", () => {
    const line = formatSyslog(event, "desk-1", 4242);
    const m = RFC5424.exec(line);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(10 * 8 + 4); // authpriv.warning
    expect(m![2]).toBe(event.time);
    expect(m!.slice(3, 7)).toEqual(["desk-1", "tessera", "4242", "user.role_changed"]);
    expect(m![7]).toContain('to="ADMIN\\"\\]\\\\"');
    expect(m![7]).not.toContain("nested"); // objects only in MSG
    expect(JSON.parse(m![8]!)).toEqual(event);
  });
});

describe("slack format", () => {
  it("escapes mrkdwn control characters", () => {
    const { text } = formatSlack({ ...event, fields: { by: "<!channel> & <http://x|y>" } });
    expect(text).toContain("&lt;!channel&gt; &amp; &lt;http://x|y&gt;");
    expect(text).not.toMatch(/<!channel>/);
  });
});

describe("destinations", () => {
  it("parses syslog and http SIEM URLs and refuses others", () => {
    expect(parseSiemUrl("syslog+tcp://siem.local:1514")).toEqual({
      kind: "syslog",
      protocol: "tcp",
      host: "siem.local",
      port: 1514,
    });
    expect(parseSiemUrl("syslog+tls://siem.local")).toMatchObject({ port: 6514 });
    expect(parseSiemUrl("syslog+udp://[::1]")).toMatchObject({ host: "::1", port: 514 });
    expect(parseSiemUrl("https://siem.example/ingest")).toEqual({
      kind: "http",
      url: "https://siem.example/ingest",
    });
    expect(() => parseSiemUrl("ftp://x")).toThrow(DestinationConfigError);
    expect(() => parseSiemUrl("not a url")).toThrow(DestinationConfigError);
  });

  it("never prints a webhook's secret path", () => {
    const text = describeDestinations({ slack: "https://hooks.example/services/T/B/s3cr3t" });
    expect(text).toBe("slack=https://hooks.example");
  });
});

describe("backoff", () => {
  it("doubles from the base, is capped, and jitters within bounds", () => {
    const opts = { baseMs: 1000, maxMs: 60_000, jitter: 0 };
    expect([1, 2, 3, 4].map((a) => backoffMs(a, opts))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(50, opts)).toBe(60_000);
    const jittered = { ...opts, jitter: 0.2 };
    expect(backoffMs(1, jittered, () => 0)).toBe(800);
    expect(backoffMs(1, jittered, () => 1)).toBe(1200);
  });
});

describe("syslog transports", () => {
  it("sends an octet-counted frame over TCP", async () => {
    const chunks: Buffer[] = [];
    const server = createServer((socket) => socket.on("data", (c: Buffer) => chunks.push(c)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      await deliver(
        "siem",
        event,
        { siem: { kind: "syslog", protocol: "tcp", host: "127.0.0.1", port } },
        { timeoutMs: 2000, hostname: "desk-1" },
      );
      await new Promise((r) => setTimeout(r, 100));
      const frame = Buffer.concat(chunks).toString("utf8");
      const [length, ...rest] = frame.split(" ");
      const body = rest.join(" ");
      expect(Number(length)).toBe(Buffer.byteLength(body, "utf8"));
      expect(body).toMatch(RFC5424);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("sends one datagram over UDP", async () => {
    const socket = createSocket("udp4");
    const got = new Promise<string>((resolve) => socket.on("message", (m) => resolve(String(m))));
    await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
    const { port } = socket.address();
    try {
      await deliver(
        "siem",
        event,
        { siem: { kind: "syslog", protocol: "udp", host: "127.0.0.1", port } },
        { timeoutMs: 2000 },
      );
      expect(await got).toMatch(RFC5424);
    } finally {
      socket.close();
    }
  });

  it("fails (to be retried) when the TCP receiver is down", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    await expect(
      deliver(
        "siem",
        event,
        { siem: { kind: "syslog", protocol: "tcp", host: "127.0.0.1", port } },
        { timeoutMs: 2000 },
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
