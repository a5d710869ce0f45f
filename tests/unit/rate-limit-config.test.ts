import { describe, expect, it } from "vitest";
import { lockoutSecondsAfter, rateLimitConfig } from "@/lib/rate-limit/config";
import { selectStore } from "@/lib/rate-limit/select";
import { cookieMaxAgeSeconds, sessionExpiry, sessionPolicy } from "@/lib/auth/session-policy";

// Which rate-limit store the environment selects (Upstash itself cannot be reached from these
// machines: only this choice is tested, see docs/decisions/008-rate-limiting.md), the policy
// numbers, and the session lifetimes.

describe("selectStore()", () => {
  it("defaults to PostgreSQL", () => {
    expect(selectStore({})).toEqual({ kind: "postgres" });
    expect(selectStore({ REDIS_URL: " " })).toEqual({ kind: "postgres" });
  });
  it("uses Redis when REDIS_URL is set", () => {
    expect(selectStore({ REDIS_URL: "redis://127.0.0.1:6379" })).toEqual({
      kind: "redis",
      url: "redis://127.0.0.1:6379",
    });
    expect(() => selectStore({ REDIS_URL: "http://x" })).toThrow(/redis:\/\//);
  });
  it("prefers Upstash when both its URL and token are set", () => {
    expect(
      selectStore({
        REDIS_URL: "redis://127.0.0.1:6379",
        UPSTASH_REDIS_REST_URL: "https://eu1-x.upstash.io",
        UPSTASH_REDIS_REST_TOKEN: "t0ken",
      }),
    ).toEqual({ kind: "upstash", url: "https://eu1-x.upstash.io", token: "t0ken" });
  });
  it("refuses half an Upstash configuration or a non-https URL instead of falling back", () => {
    expect(() => selectStore({ UPSTASH_REDIS_REST_URL: "https://x.upstash.io" })).toThrow(/both/);
    expect(() => selectStore({ UPSTASH_REDIS_REST_TOKEN: "t" })).toThrow(/both/);
    expect(() =>
      selectStore({ UPSTASH_REDIS_REST_URL: "http://x.upstash.io", UPSTASH_REDIS_REST_TOKEN: "t" }),
    ).toThrow(/https/);
  });
});

describe("rate-limit numbers", () => {
  it("defaults follow SECURITY.md and ADR 008", () => {
    const c = rateLimitConfig({});
    expect(c.signInPerIp).toMatchObject({ limit: 10, windowSeconds: 60 });
    expect(c.captchaAfterAccountFailures).toBe(3);
    expect(c.captchaAfterIpFailures).toBe(3);
    expect(c.passwordChange).toMatchObject({ limit: 5, windowSeconds: 900 });
    expect(c.ticketCreate).toMatchObject({ limit: 30, windowSeconds: 3600 });
    expect(c.ticketReply).toMatchObject({ limit: 120, windowSeconds: 3600 });
  });
  it("lockouts: none for 4 failures, then 1, 2, 4, 8, 15, 15 minutes", () => {
    const c = rateLimitConfig({});
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map((n) => lockoutSecondsAfter(n, c) / 60)).toEqual([
      0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15,
    ]);
  });
  it("environment overrides are validated", () => {
    expect(rateLimitConfig({ RATE_LIMIT_SIGN_IN_PER_IP: "20" }).signInPerIp.limit).toBe(20);
    expect(() => rateLimitConfig({ RATE_LIMIT_TICKETS_PER_HOUR: "lots" })).toThrow(/positive/);
    expect(() => rateLimitConfig({ CAPTCHA_AFTER_IP_FAILURES: "0" })).toThrow(/positive/);
  });
});

describe("session lifetimes", () => {
  const policy = sessionPolicy({});
  it("defaults: staff 30 min idle / 12 h, users 7 days / 30 days; cookie lives 30 days", () => {
    expect(policy.staff).toEqual({ idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 });
    expect(policy.user).toEqual({ idleSeconds: 7 * 86400, absoluteSeconds: 30 * 86400 });
    expect(cookieMaxAgeSeconds(policy)).toBe(30 * 86400);
  });
  it("says which lifetime ended", () => {
    const t = 1_000_000_000;
    expect(sessionExpiry("ADMIN", { authTime: t - 100, lastSeen: t - 1800 }, t, policy)).toBe(
      "idle",
    );
    expect(sessionExpiry("TECHNICIAN", { authTime: t - 43200, lastSeen: t }, t, policy)).toBe(
      "absolute",
    );
    expect(
      sessionExpiry("USER", { authTime: t - 43200, lastSeen: t - 1800 }, t, policy),
    ).toBeNull();
  });
  it("is configured in minutes and validated", () => {
    expect(sessionPolicy({ SESSION_STAFF_IDLE_MINUTES: "15" }).staff.idleSeconds).toBe(900);
    expect(() => sessionPolicy({ SESSION_USER_IDLE_MINUTES: "1.5" })).toThrow(/minutes/);
  });
});
