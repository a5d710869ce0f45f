import "server-only";
import { verifyCaptcha, type CaptchaVerdict } from "@/lib/captcha/server";
import { lockoutSecondsAfter, rateLimitConfig } from "@/lib/rate-limit/config";
import { Limiter, secondsFrom, storeKey } from "@/lib/rate-limit/limiter";
import type { RateLimitStore } from "@/lib/rate-limit/types";

// Sign-in throttling, decided BEFORE any bcrypt work (lib/auth/sign-in.ts):
// - per ip: RATE_LIMIT_SIGN_IN_PER_IP attempts a minute (default 10); successes are refunded,
//   so people signing in correctly behind one NAT never hit it;
// - per account (the submitted email, so unknown accounts behave exactly like real ones), from
//   unrecognised devices: 5 failures pass, then a progressive delay of 1, 2, 4, 8, 15, 15...
//   minutes before the next attempt, failures remembered for a day (about 100 a day at most);
// - a proof-of-work CAPTCHA once the account has 3 failures in the window, or the ip 3 in 15 min;
// - a recognised device (a valid device cookie of this account, lib/auth/device-cookie.ts) is
//   exempt from the account's delay and CAPTCHA, which are what an attacker elsewhere can trip:
//   the owner signs in from a browser that signed in before, whatever the attack. It has its own
//   allowance of 5 failures in the window, after which it counts as unrecognised.
// Attempts are counted before the password is checked and the delay is claimed atomically, so a
// burst of parallel guesses cannot slip past it. docs/decisions/014-account-throttling.md

export type Gate =
  | { kind: "allowed"; recognised?: boolean }
  | { kind: "rate_limited"; scope: "ip" | "account"; retryAfterSeconds: number }
  | { kind: "captcha_required"; verdict: Exclude<CaptchaVerdict, "ok"> };

export type Attempt = {
  email: string;
  ip: string | null;
  captcha?: unknown;
  /** The id of a verified device cookie of this account (lib/auth/device-cookie.ts), or null. */
  device?: string | null;
};

const ipId = (ip: string | null) => ip ?? "unknown";

export function signInThrottle(store: RateLimitStore) {
  const config = rateLimitConfig();
  const ipLimiter = new Limiter(store, config.signInPerIp);
  const failureWindowMs = config.accountFailureWindowSeconds * 1000;
  const ipFailureWindowMs = config.ipFailureWindowSeconds * 1000;
  const keys = (a: Attempt) => ({
    accountFailures: storeKey("signin-acct-fail", a.email),
    accountLock: storeKey("signin-acct-lock", a.email),
    ipFailures: storeKey("signin-ip-fail", ipId(a.ip)),
    deviceFailures: storeKey("signin-dev-fail", `${a.email}\n${a.device ?? ""}`),
  });

  /** Takes one of the recognised device's attempts; false once it has none left. */
  async function recognisedDeviceAttempt(a: Attempt): Promise<boolean> {
    if (!a.device || !a.email) return false;
    const key = keys(a).deviceFailures;
    const failures = (await store.hit(key, 1, failureWindowMs)).count;
    if (failures <= config.deviceFreeFailures) return true;
    await store.hit(key, -1, failureWindowMs);
    return false;
  }

  async function captchaRequired(a: Attempt): Promise<boolean> {
    const k = keys(a);
    const [account, ip] = await Promise.all([
      a.email ? store.peek(k.accountFailures) : null,
      store.peek(k.ipFailures),
    ]);
    return (
      (account?.count ?? 0) >= config.captchaAfterAccountFailures ||
      (ip?.count ?? 0) >= config.captchaAfterIpFailures
    );
  }

  return {
    captchaRequired,

    /** Runs before the password is looked at. Throws RateLimitStoreError when the store is down. */
    async before(a: Attempt): Promise<Gate> {
      const k = keys(a);
      const ip = await ipLimiter.consume(ipId(a.ip));
      if (!ip.allowed) {
        return { kind: "rate_limited", scope: "ip", retryAfterSeconds: ip.retryAfterSeconds };
      }
      // Input that is not even an email address has no account to count against: ip limits only.
      if (!a.email) return { kind: "allowed" };
      // The owner's browser: past the account's delay and CAPTCHA (its own allowance instead).
      if (await recognisedDeviceAttempt(a)) return { kind: "allowed", recognised: true };
      const lock = await store.peek(k.accountLock);
      if (lock)
        return { kind: "rate_limited", scope: "account", retryAfterSeconds: secondsFrom(lock) };

      if (await captchaRequired(a)) {
        const verdict = await verifyCaptcha(a.captcha, store);
        if (verdict !== "ok") return { kind: "captcha_required", verdict };
      }

      // Count this attempt as a failure now; a success clears it. From the 5th on, the attempt
      // must also win the lock it starts: of parallel attempts only one does.
      const failures = (await store.hit(k.accountFailures, 1, failureWindowMs)).count;
      const lockSeconds = lockoutSecondsAfter(failures, config);
      if (lockSeconds > 0 && !(await store.claim(k.accountLock, lockSeconds * 1000))) {
        await store.hit(k.accountFailures, -1, failureWindowMs);
        const current = await store.peek(k.accountLock);
        return {
          kind: "rate_limited",
          scope: "account",
          retryAfterSeconds: current ? secondsFrom(current) : 1,
        };
      }
      return { kind: "allowed" };
    },

    /** After a wrong password, unknown or deactivated account. Returns whether the next try needs a CAPTCHA. */
    async failed(a: Attempt, gate?: Gate): Promise<{ captchaRequired: boolean }> {
      await store.hit(keys(a).ipFailures, 1, ipFailureWindowMs);
      if (gate?.kind === "allowed" && gate.recognised) return { captchaRequired: false };
      return { captchaRequired: await captchaRequired(a) };
    },

    /**
     * After the right password. From a recognised device only that device's counter is cleared:
     * the delay an attacker elsewhere has earned stays on unrecognised devices.
     */
    async succeeded(a: Attempt, gate?: Gate): Promise<void> {
      const k = keys(a);
      const recognised = gate?.kind === "allowed" && gate.recognised === true;
      await Promise.all([
        ...(a.device ? [store.delete(k.deviceFailures)] : []),
        ...(recognised ? [] : [store.delete(k.accountFailures), store.delete(k.accountLock)]),
        ipLimiter.refund(ipId(a.ip)),
      ]);
    },
  };
}
