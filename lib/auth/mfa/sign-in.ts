import "server-only";
import { CredentialsSignin } from "next-auth";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { db } from "@/lib/db";
import { RateLimitedError } from "@/lib/errors";
import { ThrottleUnavailableError } from "@/lib/rate-limit";
import type { RequestContext } from "@/lib/request-context";
import { securityEvent } from "@/lib/security/events";
import { recordRefusal } from "@/lib/security/refusals";
import type { AuthenticatedUser } from "@/lib/auth/sign-in";
import { rememberDevice, type DeviceOptions } from "@/lib/auth/device";
import { readMfaPendingToken } from "@/lib/auth/mfa/pending-token";
import { MfaSignInSchema } from "@/lib/auth/mfa/schemas";
import { checkCode, refundCodeAttempt, takeCodeAttempt } from "@/lib/auth/mfa/verify";

// The second sign-in step (Credentials provider "mfa"): the pending token from the password
// step plus a TOTP or recovery code. Every outcome is audited as "auth.sign_in" (step "mfa").

/** The password was right and the account uses MFA: the form must ask for a code. */
export class MfaRequiredError extends CredentialsSignin {
  override code = "mfa_required";
  constructor(readonly mfaToken: string) {
    super();
  }
}

/** Wrong, replayed or unusable code (the form says the same for each). */
export class MfaCodeRejectedError extends CredentialsSignin {
  override code = "mfa_wrong_code";
}

/** The pending token expired (5 minutes) or the account changed: start again with the password. */
export class MfaExpiredError extends CredentialsSignin {
  override code = "mfa_expired";
}

export class MfaRateLimitedError extends CredentialsSignin {
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.code = `rate_limited_${retryAfterSeconds}`;
  }
}

export class MfaUnavailableError extends CredentialsSignin {
  override code = "unavailable";
}

type Reason =
  | "wrong_code"
  | "replayed_code"
  | "expired_token"
  | "not_enrolled"
  | "rate_limited"
  | "deactivated"
  | "throttle_unavailable";

export async function completeMfaSignIn(
  raw: unknown,
  context: RequestContext,
  device: DeviceOptions = {},
): Promise<AuthenticatedUser> {
  const parsed = MfaSignInSchema.safeParse(raw);
  const pending = parsed.success ? await readMfaPendingToken(parsed.data.mfaToken) : null;
  const user = pending
    ? await db.user.findUnique({
        where: { id: pending.uid },
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          active: true,
          sessionVersion: true,
          mfaEnabledAt: true,
        },
      })
    : null;
  const audit = (outcome: "FAILED" | "REFUSED", reason: Reason, extra: object = {}) =>
    recordAuditStandalone(db, {
      actor: user,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user?.id ?? null,
      outcome,
      metadata: { step: "mfa", reason, email: user?.email ?? null, ...extra },
      context,
    });

  if (!parsed.success || !pending || !user) {
    await audit("FAILED", "expired_token");
    throw new MfaExpiredError();
  }
  if (!user.active) {
    await audit("REFUSED", "deactivated");
    throw new MfaExpiredError();
  }
  if (user.sessionVersion !== pending.sv) {
    await audit("FAILED", "expired_token");
    throw new MfaExpiredError();
  }
  if (!user.mfaEnabledAt) {
    await audit("FAILED", "not_enrolled");
    throw new MfaExpiredError();
  }

  try {
    await takeCodeAttempt(user.id);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      // Aggregated per account, ip and window (lib/security/refusals.ts).
      await recordRefusal({
        key: ["mfa", "rate_limited", user.id, "ip", context.ip],
        audit: {
          actor: user,
          action: "auth.sign_in",
          entityType: "User",
          entityId: user.id,
          outcome: "REFUSED",
          metadata: {
            step: "mfa",
            reason: "rate_limited",
            email: user.email,
            retryAfterSeconds: error.retryAfterSeconds,
          },
          context,
        },
        alert: {
          type: "auth.throttled",
          fields: {
            scope: "mfa",
            userId: user.id,
            retryAfterSeconds: error.retryAfterSeconds,
            ip: context.ip,
          },
        },
      });
      throw new MfaRateLimitedError(error.retryAfterSeconds);
    }
    if (error instanceof ThrottleUnavailableError) {
      await audit("REFUSED", "throttle_unavailable");
      throw new MfaUnavailableError();
    }
    throw error;
  }

  const check = await checkCode(db, user.id, parsed.data.code, { allowRecovery: true });
  if (!check.ok) {
    await audit("FAILED", check.reason);
    throw new MfaCodeRejectedError();
  }
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, {
      actor: user,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      metadata: { step: "mfa", factor: check.factor },
      context,
    });
    if (check.factor === "recovery") {
      const left = await tx.mfaRecoveryCode.count({ where: { userId: user.id, usedAt: null } });
      await securityEvent(
        "auth.mfa_changed",
        { change: "recovery_code_used", userId: user.id, remaining: left },
        { tx },
      );
    }
  });
  await refundCodeAttempt(user.id);
  // Password and code: this browser is recognised for the account (lib/auth/device-cookie.ts).
  await rememberDevice(device, user.email);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
}
