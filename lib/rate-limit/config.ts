// Rate-limit numbers, overridable by environment variables (see docs/decisions/008-rate-limiting.md).
// No "server-only": pure numbers, unit-tested.

type Env = Record<string, string | undefined>;

function int(name: string, fallback: number, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer (got "${raw}")`);
  }
  return value;
}

export type Rule = { name: string; limit: number; windowSeconds: number };

export function rateLimitConfig(env: Env = process.env) {
  return {
    /** Sign-in attempts per ip and minute (successful ones are refunded). */
    signInPerIp: {
      name: "signin-ip",
      limit: int("RATE_LIMIT_SIGN_IN_PER_IP", 10, env),
      windowSeconds: 60,
    } satisfies Rule,
    /** Failures per account that pass before the first lockout, and the lockouts after them. */
    accountFreeFailures: 5,
    accountLockoutSeconds: [60, 120, 240, 480, 900],
    /**
     * How long an account's failures are remembered (from the first one). A day: with the
     * 15-minute cap, at most about 100 guesses a day reach an account from unrecognised devices
     * (NIST SP 800-63B's limit of 100), without ever locking the owner's recognised devices out.
     */
    accountFailureWindowSeconds: 24 * 60 * 60,
    /**
     * Failures one recognised device (a valid device cookie, lib/auth/device-cookie.ts) may make
     * in the account window before it is treated like any unrecognised one.
     */
    deviceFreeFailures: 5,
    /** Recent failures (per account, or per ip in 15 minutes) after which a CAPTCHA is required. */
    captchaAfterAccountFailures: int("CAPTCHA_AFTER_ACCOUNT_FAILURES", 3, env),
    captchaAfterIpFailures: int("CAPTCHA_AFTER_IP_FAILURES", 3, env),
    ipFailureWindowSeconds: 15 * 60,
    passwordChange: {
      name: "password-change",
      limit: int("RATE_LIMIT_PASSWORD_CHANGE_PER_15_MIN", 5, env),
      windowSeconds: 15 * 60,
    } satisfies Rule,
    /** Wrong MFA codes per account (sign-in, enrollment, changes); refused before any check. */
    mfaCode: {
      name: "mfa-code",
      limit: int("RATE_LIMIT_MFA_CODES_PER_15_MIN", 5, env),
      windowSeconds: 15 * 60,
    } satisfies Rule,
    /**
     * Fresh-password confirmations (admin "sudo mode") per account: each attempt takes a point
     * atomically before bcrypt, a right password gives it back (lib/auth/reauth.ts).
     */
    reauth: {
      name: "reauth",
      limit: 5,
      windowSeconds: 15 * 60,
    } satisfies Rule,
    /** "Forgot password" requests per ip and hour (the answer is the same either way). */
    passwordResetPerIp: {
      name: "password-reset-ip",
      limit: int("RATE_LIMIT_PASSWORD_RESETS_PER_IP_PER_HOUR", 10, env),
      windowSeconds: 60 * 60,
    } satisfies Rule,
    /** Reset mails per address and hour: more requests are answered alike but send nothing. */
    passwordResetPerAddress: {
      name: "password-reset-address",
      limit: 3,
      windowSeconds: 60 * 60,
    } satisfies Rule,
    ticketCreate: {
      name: "ticket-create",
      limit: int("RATE_LIMIT_TICKETS_PER_HOUR", 30, env),
      windowSeconds: 60 * 60,
    } satisfies Rule,
    /** Title/description edits per user and hour: each writes an audit row (issue 10 §5b). */
    ticketEdit: {
      name: "ticket-edit",
      limit: int("RATE_LIMIT_TICKET_EDITS_PER_HOUR", 60, env),
      windowSeconds: 60 * 60,
    } satisfies Rule,
    ticketReply: {
      name: "ticket-reply",
      limit: int("RATE_LIMIT_REPLIES_PER_HOUR", 120, env),
      windowSeconds: 60 * 60,
    } satisfies Rule,
    /** REST API requests per token and minute (lib/api/route.ts): per token, not per address. */
    apiToken: {
      name: "api-token",
      limit: int("RATE_LIMIT_API_PER_MINUTE", 600, env),
      windowSeconds: 60,
    } satisfies Rule,
    /** Files uploaded per user and hour (each is stored and scanned; lib/attachments/upload.ts). */
    attachmentUpload: {
      name: "attachment-upload",
      limit: int("RATE_LIMIT_UPLOADS_PER_HOUR", 120, env),
      windowSeconds: 60 * 60,
    } satisfies Rule,
    /** Presence heartbeats per user and minute ("is replying…"; a page sends a few a minute). */
    livePresence: {
      name: "live-presence",
      limit: int("RATE_LIMIT_PRESENCE_PER_MINUTE", 60, env),
      windowSeconds: 60,
    } satisfies Rule,
  };
}

export type RateLimitConfig = ReturnType<typeof rateLimitConfig>;

/** The lockout after the n-th failure (n counts from 1), or 0 while failures are still free. */
export function lockoutSecondsAfter(failures: number, config: RateLimitConfig): number {
  const over = failures - config.accountFreeFailures;
  if (over < 0) return 0;
  const schedule = config.accountLockoutSeconds;
  return schedule[Math.min(over, schedule.length - 1)]!;
}
