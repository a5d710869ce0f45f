import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { createPrismaClient } from "@/prisma/client";
import { signInEvents } from "@/tests/support/audit";
import { makeUser } from "@/tests/support/factories";
import { describeEachStore, postgresHandle, uniqueIp } from "@/tests/support/rate-limit";

// T4 throttling numbers through the real sign-in code (authenticate), on the real PostgreSQL
// store and on the real Redis store. bcrypt is observed through spies that call the real
// functions: a throttled attempt must never reach it.
const spies = vi.hoisted(() => ({ compares: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...real,
    verifyPassword: async (...args: Parameters<typeof real.verifyPassword>) => {
      spies.compares += 1;
      return real.verifyPassword(...args);
    },
    verifyAgainstDummy: async (...args: Parameters<typeof real.verifyAgainstDummy>) => {
      spies.compares += 1;
      return real.verifyAgainstDummy(...args);
    },
  };
});

const { authenticate, SignInRateLimitedError, SignInUnavailableError } =
  await import("@/lib/auth/sign-in");
const { setRateLimitStore, enforceUserLimit, ThrottleUnavailableError } =
  await import("@/lib/rate-limit");
const { storeKey } = await import("@/lib/rate-limit/limiter");
const { createPostgresStore } = await import("@/lib/rate-limit/postgres-store");
const { RateLimitedError } = await import("@/lib/errors");

const db = createTestDb();
const WRONG = "definitely-not-the-password";

function ctx(ip: string) {
  return { ip, userAgent: "vitest", requestId: "req-rate-limit" };
}

async function refusedWith(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInRateLimitedError);
  return (error as InstanceType<typeof SignInRateLimitedError>).retryAfterSeconds;
}

beforeEach(() => {
  // The real defaults (vitest.config.ts raises the per-ip ones for the other suites).
  vi.stubEnv("RATE_LIMIT_SIGN_IN_PER_IP", "10");
  vi.stubEnv("CAPTCHA_AFTER_IP_FAILURES", "10000");
  vi.stubEnv("CAPTCHA_AFTER_ACCOUNT_FAILURES", "10000");
  spies.compares = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
  setRateLimitStore(undefined);
});
afterAll(() => db.$disconnect());

describeEachStore("sign-in throttling on the %s store", db, (handle) => {
  it("per ip: 10 failed attempts a minute, the 11th is refused before bcrypt and audited", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 10; i++) {
      expect(
        await authenticate({ email: `nobody-${i}-${ip}@example.test`, password: WRONG }, ctx(ip)),
      ).toBeNull();
    }
    expect(spies.compares).toBe(10);
    const email = `nobody-11-${ip}@example.test`;
    const retry = await refusedWith(authenticate({ email, password: WRONG }, ctx(ip)));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(spies.compares).toBe(10); // no bcrypt for the refused attempt
    const [event] = await signInEvents(db, email);
    expect(event).toMatchObject({ outcome: "REFUSED", ip });
    expect(event?.metadata).toMatchObject({ reason: "rate_limited", scope: "ip" });
    // Another ip is not affected.
    expect(await authenticate({ email, password: WRONG }, ctx(uniqueIp()))).toBeNull();
  });

  it("per ip: successful sign-ins are refunded (people behind one NAT are not locked out)", async () => {
    const ip = uniqueIp();
    const user = await makeUser(db);
    for (let i = 0; i < 15; i++) {
      expect(
        await authenticate({ email: user.email, password: user.password }, ctx(ip)),
      ).not.toBeNull();
    }
  });

  it("per account: 5 failures pass, then lockouts of 1, 2, 4, 8, 15, 15 minutes; bcrypt never runs while locked", async () => {
    const user = await makeUser(db);
    const lockKey = storeKey("signin-acct-lock", user.email);
    const attempt = (password = WRONG) =>
      authenticate({ email: user.email, password }, ctx(uniqueIp()));

    for (let i = 0; i < 5; i++) expect(await attempt()).toBeNull();
    expect(spies.compares).toBe(5);

    const observed: number[] = [];
    for (let step = 0; step < 6; step++) {
      // While locked: refused, even with the right password, and no bcrypt.
      const before = spies.compares;
      observed.push(await refusedWith(attempt(user.password)));
      expect(spies.compares).toBe(before);
      // The lock passes (its window is ended in the store): one more wrong attempt is checked.
      await handle().expire(lockKey);
      expect(await attempt()).toBeNull();
      expect(spies.compares).toBe(before + 1);
    }
    // Each value is the full lock measured right after it was set (ceil of the time left).
    expect(observed.map((s) => Math.round(s / 60))).toEqual([1, 2, 4, 8, 15, 15]);

    const refusals = (await signInEvents(db, user.email)).filter((e) => e.outcome === "REFUSED");
    expect(refusals).toHaveLength(6);
    for (const e of refusals) {
      expect(e.metadata).toMatchObject({ reason: "rate_limited", scope: "account" });
    }
  });

  it("the right password after the lock passes signs in and clears the account's counters", async () => {
    const user = await makeUser(db);
    for (let i = 0; i < 5; i++) {
      await authenticate({ email: user.email, password: WRONG }, ctx(uniqueIp()));
    }
    await handle().expire(storeKey("signin-acct-lock", user.email));
    expect(
      await authenticate({ email: user.email, password: user.password }, ctx(uniqueIp())),
    ).not.toBeNull();
    expect(await handle().store.peek(storeKey("signin-acct-fail", user.email))).toBeNull();
    // A fresh budget of 5 failures.
    for (let i = 0; i < 5; i++) {
      expect(
        await authenticate({ email: user.email, password: WRONG }, ctx(uniqueIp())),
      ).toBeNull();
    }
  });

  it("an unknown account is locked exactly like a real one (no enumeration)", async () => {
    const email = `ghost-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`;
    for (let i = 0; i < 5; i++) {
      expect(await authenticate({ email, password: WRONG }, ctx(uniqueIp()))).toBeNull();
    }
    const retry = await refusedWith(authenticate({ email, password: WRONG }, ctx(uniqueIp())));
    expect(Math.round(retry / 60)).toBe(1);
  });

  it("a parallel burst against one account gets at most 5 password checks", async () => {
    const user = await makeUser(db);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        authenticate({ email: user.email, password: WRONG }, ctx(uniqueIp())),
      ),
    );
    expect(spies.compares).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThanOrEqual(15);
  });
});

describe("when the store is down", () => {
  const dead = createPrismaClient("postgresql://postgres@127.0.0.1:1/nothing", { max: 1 });
  afterAll(() => dead.$disconnect());

  it("sign-in fails closed: refused without bcrypt, audited as throttle_unavailable", async () => {
    setRateLimitStore(createPostgresStore(dead));
    const user = await makeUser(db);
    const error = await authenticate(
      { email: user.email, password: user.password },
      ctx(uniqueIp()),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInUnavailableError);
    expect(spies.compares).toBe(0);
    const [event] = await signInEvents(db, user.email);
    expect(event).toMatchObject({ outcome: "REFUSED" });
    expect(event?.metadata).toMatchObject({ reason: "throttle_unavailable" });
  });

  it("ticket creation and replies fail open; password change fails closed", async () => {
    setRateLimitStore(createPostgresStore(dead));
    await expect(
      enforceUserLimit("ticketCreate", "u1", { failOpen: true }),
    ).resolves.toBeUndefined();
    await expect(
      enforceUserLimit("ticketReply", "u1", { failOpen: true }),
    ).resolves.toBeUndefined();
    await expect(
      enforceUserLimit("passwordChange", "u1", { failOpen: false }),
    ).rejects.toBeInstanceOf(ThrottleUnavailableError);
  });
});

describe("per-user limits", () => {
  it("ticket creation: 30 an hour by default, then 'Try again in N seconds'", async () => {
    setRateLimitStore(postgresHandle(db).store);
    const userId = `user-${Date.now()}-${Math.random()}`;
    for (let i = 0; i < 30; i++) await enforceUserLimit("ticketCreate", userId, { failOpen: true });
    const error = await enforceUserLimit("ticketCreate", userId, { failOpen: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as Error).message).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
  });

  it("password change: 5 per 15 minutes", async () => {
    setRateLimitStore(postgresHandle(db).store);
    const userId = `user-${Date.now()}-${Math.random()}`;
    for (let i = 0; i < 5; i++)
      await enforceUserLimit("passwordChange", userId, { failOpen: false });
    await expect(
      enforceUserLimit("passwordChange", userId, { failOpen: false }),
    ).rejects.toBeInstanceOf(RateLimitedError);
  });
});
