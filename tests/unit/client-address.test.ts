import { describe, expect, it } from "vitest";
import {
  canonicalizeHeaders,
  normalizeIp,
  parseTrustedProxies,
  resolveClient,
} from "@/lib/security/client-address";

// Issue 10 §2: the client address is the socket's unless a trusted proxy vouches for more.
// Addresses: 203.0.113.x = clients, 198.51.100.x = attacker's made-up values, 10.x = proxies.

const none = parseTrustedProxies(undefined);

describe("parseTrustedProxies", () => {
  it("accepts nothing, a hop count or a list of addresses and ranges", () => {
    expect(parseTrustedProxies("").kind).toBe("none");
    expect(parseTrustedProxies("0").kind).toBe("none");
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    const cidrs = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, ::1, fd00::/8");
    expect(cidrs.kind).toBe("cidrs");
  });

  it.each(["11", "-1", "abc", "10.0.0.0/33", "10.0.0.0/8/1", "10.0.0.0/x", "1.2.3", "*"])(
    "refuses %j with the help text",
    (value) => {
      expect(() => parseTrustedProxies(value)).toThrow(/TRUSTED_PROXIES/);
    },
  );
});

describe("normalizeIp", () => {
  it("strips ports, brackets and the IPv4-mapped prefix; refuses garbage", () => {
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeIp("203.0.113.5:4711")).toBe("203.0.113.5");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
    expect(normalizeIp("unknown")).toBeNull();
    expect(normalizeIp("1.2.3.4<script>")).toBeNull();
    expect(normalizeIp("")).toBeNull();
  });
});

describe("resolveClient without a trusted proxy", () => {
  it("takes the socket address and ignores every forwarded header", () => {
    const info = resolveClient(
      {
        peer: "::ffff:203.0.113.5",
        encrypted: false,
        host: "help.example.com",
        forwardedFor: "198.51.100.1, 198.51.100.2",
        forwardedHost: "evil.example",
        forwardedProto: "https",
      },
      none,
    );
    expect(info).toEqual({
      ip: "203.0.113.5",
      host: "help.example.com",
      proto: "http",
      proxies: 0,
    });
  });

  it("ignores them when the peer is not in the trusted list either", () => {
    const trust = parseTrustedProxies("10.0.0.0/8");
    const info = resolveClient(
      { peer: "203.0.113.5", encrypted: false, forwardedFor: "198.51.100.1", host: "a.example" },
      trust,
    );
    expect(info.ip).toBe("203.0.113.5");
    expect(info.proxies).toBe(0);
  });

  it("refuses a Host header that could break out of a URL", () => {
    for (const host of ["a.example/evil", "a.example\r\nx", "a b", "a.example@b", ""]) {
      expect(resolveClient({ peer: "203.0.113.5", encrypted: false, host }, none).host).toBeNull();
    }
  });
});

describe("resolveClient behind one proxy", () => {
  const input = {
    peer: "10.0.0.2",
    encrypted: false,
    host: "tessera:3000",
    // The client sent "198.51.100.1"; the proxy appended the address it saw.
    forwardedFor: "198.51.100.1, 203.0.113.5",
    forwardedHost: "help.example.com",
    forwardedProto: "https",
  };

  it.each([
    ["a hop count", "1"],
    ["the proxy's range", "10.0.0.0/8"],
    ["the proxy's address", "10.0.0.2"],
  ])("takes the right-most hop with %s", (_, setting) => {
    const info = resolveClient(input, parseTrustedProxies(setting));
    expect(info).toEqual({
      ip: "203.0.113.5",
      host: "help.example.com",
      proto: "https",
      proxies: 1,
    });
  });

  it("takes the proxy's own address when it sent no X-Forwarded-For", () => {
    const info = resolveClient({ ...input, forwardedFor: undefined }, parseTrustedProxies("1"));
    expect(info.ip).toBe("10.0.0.2");
  });

  it("does not walk past garbage where the proxy should have written an address", () => {
    const info = resolveClient(
      { ...input, forwardedFor: "203.0.113.5, not-an-ip" },
      parseTrustedProxies("10.0.0.0/8"),
    );
    expect(info.ip).toBe("10.0.0.2");
  });

  it("takes the proxy's X-Forwarded-Proto/-Host when the client prepended its own", () => {
    const info = resolveClient(
      { ...input, forwardedHost: "evil.example, help.example.com", forwardedProto: "http, https" },
      parseTrustedProxies("1"),
    );
    expect(info.host).toBe("help.example.com");
    expect(info.proto).toBe("https");
  });
});

describe("resolveClient behind two proxies", () => {
  const input = {
    peer: "10.0.0.2", // the inner proxy (e.g. nginx)
    encrypted: false,
    host: "tessera:3000",
    // client-made-up, the client as the CDN saw it, the CDN as nginx saw it
    forwardedFor: "198.51.100.1, 203.0.113.5, 10.1.0.7",
    forwardedHost: "help.example.com",
    forwardedProto: "https",
  };

  it("with a hop count of 2 takes the second hop from the right", () => {
    expect(resolveClient(input, parseTrustedProxies("2")).ip).toBe("203.0.113.5");
  });

  it("with ranges skips every trusted hop and stops at the first untrusted one", () => {
    const info = resolveClient(input, parseTrustedProxies("10.0.0.0/16, 10.1.0.0/16"));
    expect(info.ip).toBe("203.0.113.5");
    expect(info.proxies).toBe(2);
  });

  it("with only one hop trusted takes the outer proxy as the client (never the made-up value)", () => {
    expect(resolveClient(input, parseTrustedProxies("1")).ip).toBe("10.1.0.7");
    expect(resolveClient(input, parseTrustedProxies("10.0.0.0/16")).ip).toBe("10.1.0.7");
  });

  it("picks the outer proxy's X-Forwarded-Proto when both appended", () => {
    const info = resolveClient(
      {
        ...input,
        forwardedProto: "http, https, http",
        forwardedHost: "evil.example, help.example.com, tessera",
      },
      parseTrustedProxies("2"),
    );
    expect(info.proto).toBe("https");
    expect(info.host).toBe("help.example.com");
  });

  it("takes the left-most address when every hop is a trusted proxy", () => {
    const info = resolveClient(
      { ...input, forwardedFor: "10.1.0.9, 10.1.0.7" },
      parseTrustedProxies("10.0.0.0/8"),
    );
    expect(info.ip).toBe("10.1.0.9");
  });
});

describe("canonicalizeHeaders", () => {
  it("replaces spoofed forwarding headers and the request id", () => {
    const h: Record<string, string | string[] | undefined> = {
      host: "help.example.com",
      "x-forwarded-for": "198.51.100.1",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-real-ip": "198.51.100.2",
      forwarded: "for=198.51.100.3",
      "x-request-id": "attacker\r\nid<script>",
      "x-client-request-id": "forged",
    };
    expect(canonicalizeHeaders(h, { peer: "203.0.113.5", encrypted: false }, none)).toBe(true);
    expect(h["x-forwarded-for"]).toBe("203.0.113.5");
    expect(h["x-forwarded-host"]).toBe("help.example.com");
    expect(h["x-forwarded-proto"]).toBe("http");
    expect(h["x-real-ip"]).toBeUndefined();
    expect(h.forwarded).toBeUndefined();
    expect(h["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(h["x-client-request-id"]).toBe("attackeridscript");
  });

  it("reports a request without a usable host", () => {
    const h: Record<string, string | string[] | undefined> = { host: "a b" };
    expect(canonicalizeHeaders(h, { peer: "203.0.113.5", encrypted: false }, none)).toBe(false);
  });
});
