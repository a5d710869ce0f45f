import { describe, expect, it } from "vitest";
import {
  HSTS_MAX_AGE,
  buildCsp,
  generateNonce,
  httpsRedirectTarget,
  isHttpsRequest,
  securityHeaders,
} from "@/lib/security/headers";

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

const NONCE = "AAAAAAAAAAAAAAAAAAAAAAAA";

describe("buildCsp", () => {
  it("allows scripts only by nonce with strict-dynamic, never unsafe-inline", () => {
    const d = directives(buildCsp({ nonce: NONCE, dev: false, https: false }));
    expect(d.get("script-src")).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'"]);
    expect(d.get("style-src")).toEqual(["'self'", `'nonce-${NONCE}'`]);
    for (const values of d.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain("*");
    }
  });

  it("locks down objects, base, framing and form targets", () => {
    const d = directives(buildCsp({ nonce: NONCE, dev: false, https: false }));
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds unsafe-eval (scripts) and unsafe-inline (styles) only in development", () => {
    const d = directives(buildCsp({ nonce: NONCE, dev: true, https: false }));
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("script-src")).not.toContain("'unsafe-inline'");
    expect(d.get("style-src")).toContain("'unsafe-inline'");
  });

  it("upgrades insecure requests on HTTPS", () => {
    const d = directives(buildCsp({ nonce: NONCE, dev: false, https: true }));
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("refuses a nonce that could break out of the directive", () => {
    expect(() => buildCsp({ nonce: "abc'; script-src *", dev: false, https: false })).toThrow();
    expect(() => buildCsp({ nonce: "short", dev: false, https: false })).toThrow();
  });
});

describe("generateNonce", () => {
  it("is base64, at least 128 bits, and different every time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const nonce = generateNonce();
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/); // 18 bytes = 24 chars, no padding
      seen.add(nonce);
    }
    expect(seen.size).toBe(1000);
  });
});

describe("securityHeaders", () => {
  it("sends the fixed set, and HSTS (>= 1 year, subdomains) only over HTTPS", () => {
    const plain = securityHeaders({ nonce: NONCE, dev: false, https: false });
    expect(plain["X-Content-Type-Options"]).toBe("nosniff");
    expect(plain["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(plain["Permissions-Policy"]).toContain("camera=()");
    expect(plain["X-Frame-Options"]).toBe("DENY");
    expect(plain["Strict-Transport-Security"]).toBeUndefined();

    const secure = securityHeaders({ nonce: NONCE, dev: false, https: true });
    const hsts = secure["Strict-Transport-Security"]!;
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(HSTS_MAX_AGE);
    expect(HSTS_MAX_AGE).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(hsts).toContain("includeSubDomains");
  });
});

describe("HTTPS detection and redirect", () => {
  const url = new URL("http://app.internal:3000/tickets?page=2");

  it("trusts the proxy's X-Forwarded-Proto first, then the URL, then AUTH_URL", () => {
    expect(isHttpsRequest(new Headers({ "x-forwarded-proto": "https" }), url)).toBe(true);
    expect(isHttpsRequest(new Headers({ "x-forwarded-proto": "https, http" }), url)).toBe(true);
    expect(isHttpsRequest(new Headers({ "x-forwarded-proto": "http" }), url, "https://x")).toBe(
      false,
    );
    expect(isHttpsRequest(new Headers(), url)).toBe(false);
    expect(isHttpsRequest(new Headers(), new URL("https://a.example/"))).toBe(true);
    expect(isHttpsRequest(new Headers(), url, "https://desk.example.com")).toBe(true);
  });

  it("redirects plain HTTP to the canonical HTTPS host, keeping path and query", () => {
    const h = new Headers({ "x-forwarded-proto": "http", host: "evil.example" });
    expect(httpsRedirectTarget(h, url, "https://desk.example.com")?.toString()).toBe(
      "https://desk.example.com/tickets?page=2",
    );
    const noAuthUrl = new Headers({ "x-forwarded-proto": "http", host: "desk.example.com:80" });
    expect(httpsRedirectTarget(noAuthUrl, url)?.toString()).toBe(
      "https://desk.example.com/tickets?page=2",
    );
  });

  it("does not redirect what already came over HTTPS", () => {
    expect(httpsRedirectTarget(new Headers({ "x-forwarded-proto": "https" }), url)).toBeNull();
    expect(httpsRedirectTarget(new Headers(), new URL("https://a.example/x"))).toBeNull();
  });
});
