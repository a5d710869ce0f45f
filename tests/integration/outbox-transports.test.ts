import { createSocket } from "node:dgram";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { backoffMs } from "@/lib/outbox/backoff";
import {
  DestinationConfigError,
  parseSiemUrl,
  describeDestinations,
} from "@/lib/outbox/destinations";
import { formatSlack, formatSyslog, neutraliseAlertText } from "@/lib/outbox/format";
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
    expect(text).toContain("&lt;!channel&gt; &amp; &lt;hxxp://x|y&gt;");
    expect(text).not.toMatch(/<!channel>/);
  });
});

// Issue 10 §5b: attacker text (the "email" of a failed sign-in, a user agent) reached alerts raw:
// a newline forged a second syslog line and Slack turned a URL into a link.
describe("attacker text in alert fields", () => {
  const hostile: SecurityEventPayload = {
    ...event,
    type: "auth.sign_in_failures",
    fields: {
      email: "x@y.z\n<13>1 2026-01-01T00:00:00Z forged tessera - - - admin signed in\r\u2028\u0085",
      ip: "203.0.113.9",
      userAgent: "Mozilla https://evil.example/login?x=1 http://evil.example and www.evil.example",
      nested: { note: "line1\nline2 ftp://files.evil.example" },
    },
  };

  it("neutralises control characters and links, leaving clean text as it is", () => {
    expect(neutraliseAlertText("plain text, a@b.c, 10.0.0.1")).toBe("plain text, a@b.c, 10.0.0.1");
    expect(neutraliseAlertText("a\nb\rc\td\u0000e\u2028f\u202eg")).toBe(
      "a\\nb\\rc\\td\\u0000e\\u2028f\\u202eg",
    );
    expect(neutraliseAlertText("see https://evil.example and http://x and ftp://y")).toBe(
      "see hxxps://evil.example and hxxp://x and ftp[://]y",
    );
    // Idempotent: neutralising twice changes nothing more.
    const once = neutraliseAlertText("HTTPS://a.example\n");
    expect(neutraliseAlertText(once)).toBe(once);
  });

  it("syslog: one line, no control characters, no live URL in structured data or MSG", () => {
    const line = formatSyslog(hostile, "desk-1", 1);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(line).not.toMatch(/https?:\/\//i);
    expect(line).toContain("hxxps://evil.example/login");
    const m = RFC5424.exec(line);
    expect(m).not.toBeNull();
    // The escape's backslash is itself escaped inside PARAM-VALUE (RFC 5424 §6.3.3).
    expect(m![7]).toContain('email="x@y.z\\\\n<13>1 2026');
    expect(JSON.parse(m![8]!).fields.nested.note).toBe("line1\\nline2 ftp[://]files.evil.example");
  });

  it("slack: no links, no bare domains, no control characters, no unfurling", () => {
    const message = formatSlack(hostile);
    expect(message.text).not.toMatch(/https?:\/\//i);
    expect(message.text).not.toMatch(/evil\.example/);
    expect(message.text).toContain("hxxps://evil[.]example/login");
    expect(message.text).toContain("www[.]evil[.]example");
    expect(message.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(message).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it("http SIEM: the JSON body carries the neutralised fields", async () => {
    let body = "";
    const server = createHttpServer((req, res) => {
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      await deliver(
        "siem",
        hostile,
        { siem: { kind: "http", url: `http://127.0.0.1:${port}/` } },
        { timeoutMs: 2000 },
      );
    } finally {
      server.close();
    }
    const sent = JSON.parse(body) as SecurityEventPayload;
    expect(sent.fields.userAgent).toBe(
      "Mozilla hxxps://evil.example/login?x=1 hxxp://evil.example and www.evil.example",
    );
    expect(String(sent.fields.email)).not.toContain("\n");
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
