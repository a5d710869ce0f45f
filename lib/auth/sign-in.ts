import "server-only";
import { CredentialsSignin } from "next-auth";
import { db } from "@/lib/db";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { logger } from "@/lib/logger";
import { securityEvent } from "@/lib/security/events";
import { recordRefusal } from "@/lib/security/refusals";
import { verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { SignInSchema } from "@/lib/auth/schemas";
import { rateLimitStore, RateLimitStoreError } from "@/lib/rate-limit";
import { signInThrottle, type Attempt, type Gate } from "@/lib/rate-limit/sign-in-throttle";
import { recognisedDevice } from "@/lib/auth/device-cookie";
import { rememberDevice, type DeviceOptions } from "@/lib/auth/device";
import type { RequestContext } from "@/lib/request-context";
import type { Role } from "@/lib/auth/permissions";
import { MfaRequiredError } from "@/lib/auth/mfa/sign-in";
import { issueMfaPendingToken } from "@/lib/auth/mfa/pending-token";
import { auditEmailHash } from "@/lib/auth/server-keys";
import { ssoConfig } from "@/lib/auth/sso/config";

export type AuthenticatedUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionVersion: number;
};

type Failure =
  | "invalid_input"
  | "unknown_account"
  | "wrong_password"
  | "deactivated"
  | "service_account"
  | "sso_only";
type Refusal =
  | "rate_limited"
  | "captcha_required"
  | "captcha_invalid"
  | "captcha_expired"
  | "captcha_replayed"
  | "throttle_unavailable";

// Refusals travel as CredentialsSignin subclasses: Auth.js rethrows them as they are to the
// server action (signIn() in raw mode) and puts `code` in the redirect URL of its HTTP route,
// where app/api/auth/[...nextauth]/route.ts turns "rate_limited_N" into a 429 with Retry-After.

/** Too many attempts for this ip or account; nothing was compared. */
export class SignInRateLimitedError extends CredentialsSignin {
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.code = `rate_limited_${retryAfterSeconds}`;
  }
}

/** A CAPTCHA solution is needed (missing, invalid, expired or already used). */
export class CaptchaRequiredError extends CredentialsSignin {
  override code = "captcha_required";
}

/** Wrong credentials, and the next attempt needs a CAPTCHA. */
export class SignInFailedCaptchaNextError extends CredentialsSignin {
  override code = "captcha_next";
}

/**
 * Single sign-on is on with TESSERA_SSO_PASSWORD_SIGN_IN=admins and this account is not a local
 * admin: the password was right, but this account signs in with SSO.
 */
export class SsoOnlyError extends CredentialsSignin {
  override code = "sso_only";
}

/** The rate-limit store is down: sign-in fails closed (docs/decisions/008-rate-limiting.md). */
export class SignInUnavailableError extends CredentialsSignin {
  override code = "unavailable";
}

async function clearCounters(
  throttle: ReturnType<typeof signInThrottle>,
  attempt: Attempt,
  gate: Gate,
) {
  await throttle
    .succeeded(attempt, gate)
    .catch((error: unknown) =>
      logger.error(
        { event: "rate_limit_store_down", err: error },
        "could not clear sign-in counters",
      ),
    );
}

function attemptedEmailOf(raw: unknown): string | null {
  const value = (raw as { email?: unknown })?.email;
  return typeof value === "string" ? value.slice(0, 254) : null;
}

/**
 * Checks a sign-in attempt and audits it, whatever the outcome. For an account with MFA, a right
 * password throws MfaRequiredError (carrying the pending token) instead of returning the user. Throttling and the CAPTCHA are
 * decided first, before any bcrypt work. Unknown accounts are compared against a dummy hash so
 * they take as long as a wrong password, and every failure looks the same to the form.
 */
export async function authenticate(
  raw: unknown,
  context: RequestContext,
  device: DeviceOptions = {},
): Promise<AuthenticatedUser | null> {
  const parsed = SignInSchema.safeParse(raw);
  const attemptedEmail = parsed.success ? parsed.data.email : attemptedEmailOf(raw);
  const captcha = (raw as { altcha?: unknown })?.altcha;

  // What the audit trail and alerts keep of the submitted "email": the address when it is a
  // well-formed address of an existing account, otherwise only its keyed hash (people paste
  // passwords into that field). Looked up once, lazily.
  let emailField: Promise<{ email: string } | { emailHash: string | null }> | undefined;
  const wellFormed = SignInSchema.shape.email.safeParse(attemptedEmail);
  const auditedEmail = (known?: boolean) =>
    (emailField ??= (async () => {
      if (wellFormed.success) {
        const exists =
          known ??
          (await db.user.findUnique({
            where: { email: wellFormed.data },
            select: { id: true },
          })) !== null;
        if (exists) return { email: wellFormed.data };
      }
      return { emailHash: attemptedEmail === null ? null : auditEmailHash(attemptedEmail) };
    })());

  const audit = async (
    outcome: "FAILED" | "REFUSED",
    reason: Failure | Refusal,
    user?: { id: string; role: Role; email: string },
    extra: Record<string, unknown> = {},
  ) =>
    recordAuditStandalone(db, {
      actor: user ?? null,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user?.id ?? null,
      outcome,
      metadata: { reason, ...(await auditedEmail()), ...extra },
      context,
    });

  // Refusals before any password check are what a loop produces: aggregated per ip, reason and
  // window (lib/security/refusals.ts): the first in full, then one summary row with the count.
  const refuse = (
    reason: Refusal,
    extra: Record<string, unknown> = {},
    alert?: { type: "auth.throttled"; fields: Record<string, unknown> },
  ) =>
    recordRefusal({
      key: ["signin", reason, extra.scope as string | undefined, "ip", context.ip],
      audit: {
        actor: null,
        action: "auth.sign_in",
        entityType: "User",
        entityId: null,
        outcome: "REFUSED",
        metadata: { reason, email: attemptedEmail, ...extra },
        context,
      },
      alert,
    });

  const throttle = signInThrottle(rateLimitStore());
  const normalizedEmail = (attemptedEmail ?? "").trim().toLowerCase();
  const attempt: Attempt = {
    email: normalizedEmail,
    ip: context.ip,
    captcha,
    device: recognisedDevice(device.cookie, normalizedEmail),
  };

  let gate: Gate;
  try {
    gate = await throttle.before(attempt);
    if (gate.kind === "rate_limited") {
      await refuse(
        "rate_limited",
        { scope: gate.scope, retryAfterSeconds: gate.retryAfterSeconds },
        {
          type: "auth.throttled",
          fields: { scope: gate.scope, retryAfterSeconds: gate.retryAfterSeconds, ip: context.ip },
        },
      );
      throw new SignInRateLimitedError(gate.retryAfterSeconds);
    }
    if (gate.kind === "captcha_required") {
      await refuse(gate.verdict === "missing" ? "captcha_required" : `captcha_${gate.verdict}`);
      throw new CaptchaRequiredError();
    }
  } catch (error) {
    if (!(error instanceof RateLimitStoreError)) throw error;
    logger.error({ event: "rate_limit_store_down", err: error }, error.message);
    await refuse("throttle_unavailable");
    throw new SignInUnavailableError();
  }

  const fail = async (reason: Failure, user?: { id: string; role: Role; email: string }) => {
    await audit(reason === "deactivated" ? "REFUSED" : "FAILED", reason, user);
    const next = await throttle.failed(attempt, gate).catch(() => ({ captchaRequired: false }));
    if (next.captchaRequired) {
      // Repeated failures for this account or address: worth a look in the SIEM.
      await securityEvent("auth.sign_in_failures", {
        ...(await auditedEmail()),
        ip: context.ip,
        reason,
      });
      throw new SignInFailedCaptchaNextError();
    }
    return null;
  };

  if (!parsed.success) return fail("invalid_input");
  const { email, password } = parsed.data;

  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  void auditedEmail(user !== null);
  if (!user) {
    await verifyAgainstDummy(password);
    return fail("unknown_account");
  }
  const { passwordHash, ...actor } = user; // the hash goes no further than this comparison
  const passwordOk = await verifyPassword(password, passwordHash);
  if (!passwordOk) return fail("wrong_password", actor);
  // A service account (ADR 025) never signs in, whatever its password: API tokens only. The form
  // answers as for a wrong password (after the same bcrypt work); the audit says why.
  if (user.kind === "SERVICE") return fail("service_account", actor);
  if (!user.active) return fail("deactivated", actor);
  // Break-glass (docs/decisions/029-single-sign-on.md): with SSO on and password sign-in for
  // admins only, everyone else is sent to the SSO button. Checked after the password so that
  // it tells nothing about an account to someone who does not know its password.
  if (ssoConfig()?.passwordSignIn === "admins" && user.role !== "ADMIN") {
    await audit("REFUSED", "sso_only", actor);
    await clearCounters(throttle, attempt, gate);
    throw new SsoOnlyError();
  }

  if (user.mfaEnabledAt) {
    // The password was right: its counters are cleared, and the form asks for a code next
    // (lib/auth/mfa/sign-in.ts) with a 5-minute token instead of the password.
    await recordAuditStandalone(db, {
      actor,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      metadata: {
        step: "password",
        next: "mfa",
        ...(attempt.device ? { device: "recognised" } : {}),
      },
      context,
    });
    await clearCounters(throttle, attempt, gate);
    throw new MfaRequiredError(await issueMfaPendingToken(user));
  }

  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      ...(attempt.device ? { metadata: { device: "recognised" } } : {}),
      context,
    });
  });
  await clearCounters(throttle, attempt, gate);
  await rememberDevice(device, user.email);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
}
