import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { NextRequest } from "next/server";
import { makeUser } from "@/tests/support/factories";
import { uniqueIp } from "@/tests/support/rate-limit";
import { nextHeadersMock, type RequestState } from "@/tests/support/request";

// The real Auth.js route (app/api/auth/[...nextauth]/route.ts) hit directly over "HTTP":
// cookie attributes on http and https, and 429 + Retry-After for a throttled credentials POST.
// Its requests carry their own headers; next/headers is an empty request.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
const { GET, POST } = await import("@/app/api/auth/[...nextauth]/route");
const { setRateLimitStore } = await import("@/lib/rate-limit");

const db = createTestDb();

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});
afterEach(() => {
  vi.unstubAllEnvs();
  setRateLimitStore(undefined);
});
afterAll(() => db.$disconnect());

function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0]!;
}

async function postCredentials(origin: string, body: Record<string, string>, ip: string) {
  const csrf = await GET(new NextRequest(`${origin}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map(cookiePair).join("; ");
  return POST(
    new NextRequest(`${origin}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: cookies,
        "x-forwarded-for": ip,
      },
      body: new URLSearchParams({ ...body, csrfToken, callbackUrl: `${origin}/` }),
    }),
  );
}

describe("session cookie attributes", () => {
  it("HTTPS: __Secure- prefix, Secure, HttpOnly, SameSite=Lax (CSRF cookie __Host-)", async () => {
    const user = await makeUser(db);
    const response = await postCredentials(
      "https://tessera.example",
      { email: user.email, password: user.password },
      uniqueIp(),
    );
    expect(response.status).toBe(302);
    const setCookies = response.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith("__Secure-authjs.session-token="));
    expect(session, setCookies.join("\n")).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    const csrf = await GET(new NextRequest("https://tessera.example/api/auth/csrf"));
    expect(csrf.headers.getSetCookie().some((c) => c.startsWith("__Host-authjs.csrf-token="))).toBe(
      true,
    );
  });

  it("plain HTTP (local development): no prefix, no Secure, still HttpOnly and SameSite=Lax", async () => {
    const user = await makeUser(db);
    const response = await postCredentials(
      "http://localhost:3000",
      { email: user.email, password: user.password },
      uniqueIp(),
    );
    const session = response.headers
      .getSetCookie()
      .find((c) => c.startsWith("authjs.session-token="));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).not.toMatch(/;\s*Secure/i);
  });
});

describe("the credentials callback answers 429 when throttled", () => {
  it("per ip: the attempt over the limit gets 429 with Retry-After, earlier ones the usual redirect", async () => {
    vi.stubEnv("RATE_LIMIT_SIGN_IN_PER_IP", "2");
    const ip = uniqueIp();
    const tries = [];
    for (let i = 0; i < 3; i++) {
      tries.push(
        await postCredentials(
          "http://localhost:3000",
          { email: `nobody-${i}-${ip}@example.test`, password: "wrong-password-123" },
          ip,
        ),
      );
    }
    expect(tries.slice(0, 2).map((r) => r.status)).toEqual([302, 302]);
    expect(tries[0]!.headers.get("location")).toContain("error=CredentialsSignin");
    const limited = tries[2]!;
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    expect(limited.headers.getSetCookie().some((c) => c.includes("session-token="))).toBe(false);
  });
});
