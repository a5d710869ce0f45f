import type { Page } from "@playwright/test";
import { test, expect, type Role } from "./fixtures";

// T7: the security header set, a fresh CSP nonce on every response, and no CSP violation while
// the main pages render and hydrate in a real Chromium under the production policy.

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

function nonceOf(csp: string): string {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  if (!nonce) throw new Error(`no nonce in ${csp}`);
  return nonce;
}

test.describe("security headers", () => {
  test("the header set is present, without x-powered-by", async ({ request }) => {
    for (const path of ["/login", "/api/auth/session"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBeLessThan(400);
      const h = response.headers();
      const csp = directives(h["content-security-policy"] ?? "");
      expect(csp.get("script-src")).toContain("'strict-dynamic'");
      expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
      expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
      expect(csp.get("object-src")).toEqual(["'none'"]);
      expect(csp.get("base-uri")).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(csp.get("form-action")).toEqual(["'self'"]);
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(h["permissions-policy"]).toContain("camera=()");
      expect(h["x-frame-options"]).toBe("DENY");
      expect(h["x-powered-by"]).toBeUndefined();
      // Plain HTTP here: no HSTS (browsers would ignore it anyway).
      expect(h["strict-transport-security"]).toBeUndefined();
    }
  });

  // HSTS itself (>= 1 year, subdomains, upgrade-insecure-requests) when a trusted proxy says
  // HTTPS: tests/e2e/proxy.spec.ts, against an instance with TRUSTED_PROXIES set.
  test("a client's own X-Forwarded-Proto: https does not count (no trusted proxy)", async ({
    request,
  }) => {
    const response = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers()["strict-transport-security"]).toBeUndefined();
    expect(response.headers()["content-security-policy"]).not.toContain(
      "upgrade-insecure-requests",
    );
  });

  test("a fresh nonce on every response, carried by every script in the page", async ({
    request,
  }) => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await request.get("/login");
      const nonce = nonceOf(response.headers()["content-security-policy"] ?? "");
      nonces.add(nonce);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  test("a client-sent CSP or nonce header is not what the page uses", async ({ request }) => {
    const forged = "AAAAAAAAAAAAAAAAAAAAAAAA";
    const response = await request.get("/login", {
      headers: {
        "x-nonce": forged,
        "content-security-policy": `script-src 'nonce-${forged}'`,
      },
    });
    expect(response.headers()["content-security-policy"]).not.toContain(forged);
    expect(await response.text()).not.toContain(forged);
  });
});

async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sample})`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

const PAGES: { role: Role | null; paths: string[] }[] = [
  { role: null, paths: ["/login"] },
  { role: "user", paths: ["/", "/tickets", "/tickets/new"] },
  { role: "admin", paths: ["/tickets", "/admin/users", "/admin/categories", "/admin/audit"] },
];

test.describe("the app works under the policy", () => {
  for (const { role, paths } of PAGES) {
    test(`no CSP violation on the main pages (${role ?? "anonymous"})`, async ({ page, login }) => {
      const violations = await recordViolations(page);
      if (role) await login(role);
      for (const path of paths) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        // Hydrated: React attached its handlers (Next's router is only there after its scripts ran).
        await expect
          .poll(() => page.evaluate(() => "next" in window && document.readyState === "complete"))
          .toBe(true);
        expect(await violations(), path).toEqual([]);
      }
    });
  }

  test("markup injected into a page cannot run script (the detector works)", async ({
    page,
    allowConsoleError,
  }) => {
    allowConsoleError(/Content Security Policy|Refused to execute/);
    const violations = await recordViolations(page);
    // A stored-XSS stand-in: the real server response, real headers, attacker markup in the body.
    await page.route("**/login", async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        "</body>",
        '<script>window.__pwned = 1</script><img src="/icon.svg" onload="window.__pwned = 2"></body>',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto("/login");
    await page.waitForLoadState("networkidle");
    await expect.poll(violations).toHaveLength(2);
    expect(await page.evaluate(() => "__pwned" in window)).toBe(false);
  });
});
