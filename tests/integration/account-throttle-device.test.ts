import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { factoryTotp, makeUser } from "@/tests/support/factories";
import {
  describeEachStore,
  postgresHandle,
  uniqueIp,
  type StoreHandle,
} from "@/tests/support/rate-limit";

// Issue 10 §4: nobody can keep a chosen account locked out. An attacker anywhere may trip the
// account's throttle (progressive delay, CAPTCHA) for unrecognised devices; the owner's browser
// that signed in before (a signed device cookie) still gets in with the right password (and MFA
// code), and an unrecognised device still faces the throttle. Real sign-in code, real stores.
const { authenticate, SignInRateLimitedError, CaptchaRequiredError } =
  await import("@/lib/auth/sign-in");
const { MfaRequiredError, completeMfaSignIn } = await import("@/lib/auth/mfa/sign-in");
const { setRateLimitStore } = await import("@/lib/rate-limit");
const { storeKey } = await import("@/lib/rate-limit/limiter");
const { issueDeviceCookie, recognisedDevice, DEVICE_COOKIE_DAYS } =
  await import("@/lib/auth/device-cookie");

const db = createTestDb();
const WRONG = "definitely-not-the-password";
const ctx = () => ({ ip: uniqueIp(), userAgent: "vitest", requestId: `req-${Date.now()}` });

type Outcome = "signed in" | "mfa" | "wrong" | "rate_limited" | "captcha";
async function attempt(
  email: string,
  password: string,
  cookie?: string | null,
  remember?: (v: string) => void,
): Promise<Outcome> {
  try {
    const user = await authenticate({ email, password }, ctx(), { cookie, remember });
    return user ? "signed in" : "wrong";
  } catch (error) {
    if (error instanceof SignInRateLimitedError) return "rate_limited";
    if (error instanceof CaptchaRequiredError) return "captcha";
    if (error instanceof MfaRequiredError) return "mfa";
    throw error;
  }
}

/** The owner signs in once from their browser: the cookie it is given. */
async function ownerDeviceCookie(email: string, password: string): Promise<string> {
  let cookie: string | undefined;
  const outcome = await attempt(email, password, null, (v) => (cookie = v));
  expect(outcome).toBe("signed in");
  expect(cookie).toBeTruthy();
  return cookie!;
}

/** The attack: wrong passwords from many ips until the account is under a delay. */
async function attack(email: string, handle: StoreHandle, rounds = 8) {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < rounds; i++) {
    const o = await attempt(email, WRONG);
    outcomes.push(o);
    // Skip the wait the delay imposes (the attacker keeps going as soon as it is allowed); the
    // last round leaves the account under its delay.
    if (o === "rate_limited" && i < rounds - 1) {
      await handle.expire(storeKey("signin-acct-lock", email));
    }
  }
  return outcomes;
}

beforeEach(() => {
  vi.stubEnv("RATE_LIMIT_SIGN_IN_PER_IP", "10");
  vi.stubEnv("CAPTCHA_AFTER_IP_FAILURES", "10000");
  // The attacker is assumed to solve every CAPTCHA: the delay is what is tested here.
  vi.stubEnv("CAPTCHA_AFTER_ACCOUNT_FAILURES", "10000");
});
afterEach(() => {
  vi.unstubAllEnvs();
  setRateLimitStore(undefined);
});
afterAll(() => db.$disconnect());

describeEachStore("account throttling with device cookies on the %s store", db, (handle) => {
  it("the attack delays unrecognised devices, right password included; the owner's recognised browser still signs in", async () => {
    const owner = await makeUser(db);
    const cookie = await ownerDeviceCookie(owner.email, owner.password);

    const outcomes = await attack(owner.email, handle());
    expect(outcomes).toEqual([
      ...["wrong", "wrong", "wrong", "wrong", "wrong"],
      ...["rate_limited", "wrong", "rate_limited"],
    ]);
    // Under the delay now: an unrecognised device is refused even with the right password.
    expect(await attempt(owner.email, owner.password)).toBe("rate_limited");
    // A forged or another account's cookie does not help.
    expect(await attempt(owner.email, owner.password, `${cookie.slice(0, -2)}xx`)).toBe(
      "rate_limited",
    );
    expect(await attempt(owner.email, owner.password, issueDeviceCookie("other@x.test"))).toBe(
      "rate_limited",
    );

    // The owner's browser: in, at once, every time.
    for (let i = 0; i < 3; i++) {
      expect(await attempt(owner.email, owner.password, cookie)).toBe("signed in");
    }
    // ...and that did not lift the delay the attacker earned for everyone else.
    expect(await attempt(owner.email, owner.password)).toBe("rate_limited");
    const success = await db.auditEvent.findFirst({
      where: { action: "auth.sign_in", entityId: owner.id, outcome: "SUCCESS" },
      orderBy: { id: "desc" },
    });
    expect(success?.metadata).toMatchObject({ device: "recognised" });
  });

  it("an MFA account: the recognised browser passes the password step and signs in with a code", async () => {
    const owner = await makeUser(db, { role: "TECHNICIAN" });
    // First sign-in with password and code: the cookie is set at the code step.
    const first = await authenticate({ email: owner.email, password: owner.password }, ctx()).catch(
      (e: unknown) => e,
    );
    expect(first).toBeInstanceOf(MfaRequiredError);
    let cookie: string | undefined;
    await completeMfaSignIn(
      {
        mfaToken: (first as InstanceType<typeof MfaRequiredError>).mfaToken,
        code: factoryTotp(owner),
      },
      ctx(),
      { remember: (v) => void (cookie = v) },
    );
    expect(cookie).toBeTruthy();

    await attack(owner.email, handle());
    expect(await attempt(owner.email, owner.password)).toBe("rate_limited");
    expect(await attempt(owner.email, owner.password, cookie)).toBe("mfa");
  });

  it("a stolen device cookie buys 5 guesses, then counts as unrecognised", async () => {
    const owner = await makeUser(db);
    const cookie = await ownerDeviceCookie(owner.email, owner.password);
    await attack(owner.email, handle());
    for (let i = 0; i < 5; i++) expect(await attempt(owner.email, WRONG, cookie)).toBe("wrong");
    expect(await attempt(owner.email, owner.password, cookie)).toBe("rate_limited");
  });

  it("without an attack nothing changes: the first 5 failures of an unrecognised device pass", async () => {
    const owner = await makeUser(db);
    for (let i = 0; i < 5; i++) expect(await attempt(owner.email, WRONG)).toBe("wrong");
    expect(await attempt(owner.email, owner.password)).toBe("rate_limited");
  });
});

describe("the CAPTCHA an attack triggers", () => {
  it("is required of unrecognised devices, not of the owner's", async () => {
    vi.stubEnv("CAPTCHA_AFTER_ACCOUNT_FAILURES", "3");
    const handle = postgresHandle(db);
    setRateLimitStore(handle.store);
    const owner = await makeUser(db);
    const cookie = await ownerDeviceCookie(owner.email, owner.password);
    for (let i = 0; i < 3; i++) await attempt(owner.email, WRONG).catch(() => null);
    expect(await attempt(owner.email, owner.password)).toBe("captcha");
    expect(await attempt(owner.email, owner.password, cookie)).toBe("signed in");
  });
});

describe("the device cookie", () => {
  it("is bound to its account, signed, and expires", () => {
    const now = Math.floor(Date.now() / 1000);
    const value = issueDeviceCookie("Owner@Example.test", { nowSeconds: now });
    expect(recognisedDevice(value, "owner@example.test")).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(recognisedDevice(value, "someone@example.test")).toBeNull();
    expect(
      recognisedDevice(
        value.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        "owner@example.test",
      ),
    ).toBeNull();
    const forged = issueDeviceCookie("owner@example.test", {
      secret: "another-secret-of-at-least-32-characters!",
    });
    expect(recognisedDevice(forged, "owner@example.test")).toBeNull();
    const old = issueDeviceCookie("owner@example.test", {
      nowSeconds: now - DEVICE_COOKIE_DAYS * 86_400 - 10,
    });
    expect(recognisedDevice(old, "owner@example.test")).toBeNull();
    expect(value).not.toContain("owner");
  });
});
