import "server-only";
import { db, type Tx } from "@/lib/db";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { env, mfaEncryptionKey } from "@/lib/env";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { securityEvent } from "@/lib/security/events";
import type { Actor, ServiceContext } from "@/lib/service-context";
import { decryptSecret, encryptSecret } from "@/lib/auth/mfa/crypto";
import { revokeSessions } from "@/lib/auth/sessions";
import { verifyPassword } from "@/lib/auth/password";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { generateRecoveryCodes, hashRecoveryCode, recoveryCodeKey } from "@/lib/auth/mfa/recovery";
import { generateTotpSecret, totpUri } from "@/lib/auth/mfa/totp";
import { checkCode, refundCodeAttempt, takeCodeAttempt, totpStepFor } from "@/lib/auth/mfa/verify";

// Enrollment and changes to one's own MFA (the context's actor is the account). Every change
// writes the user, its audit event and the "auth.mfa_changed" security event in one transaction.
// Codes are throttled per account (verify.ts) and never logged or audited; recovery codes are
// returned once and stored as a keyed hash (recovery.ts).

const WRONG_CODE = "That code is not right. Check your app's clock and try the newest code.";
const wrongCode = () => new ValidationError(WRONG_CODE, { code: [WRONG_CODE] });

async function auditFailure(ctx: ServiceContext, action: string, reason: string) {
  await recordAuditStandalone(db, {
    actor: ctx.actor,
    action,
    entityType: "User",
    entityId: ctx.actor.id,
    outcome: "FAILED",
    metadata: { reason },
    context: ctx.request,
  });
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  const key = recoveryCodeKey(mfaEncryptionKey());
  await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
  await tx.mfaRecoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code, key) })),
  });
  return codes;
}

/** A new secret, kept encrypted as "pending" until a code from it is confirmed. */
export async function startEnrollment(
  ctx: ServiceContext,
): Promise<{ secret: string; uri: string }> {
  const { actor } = ctx;
  const secret = generateTotpSecret();
  const { count } = await db.user.updateMany({
    where: { id: actor.id, mfaEnabledAt: null },
    data: { mfaPendingSecret: encryptSecret(secret, mfaEncryptionKey()) },
  });
  if (count !== 1) throw new ConflictError("Two-factor authentication is already on.");
  await recordAuditStandalone(db, {
    actor,
    action: "account.mfa_enrollment_start",
    entityType: "User",
    entityId: actor.id,
    outcome: "SUCCESS",
    context: ctx.request,
  });
  return { secret, uri: totpUri(secret, actor.email) };
}

/** The pending secret, decrypted, to show again (e.g. after a reload); null when none. */
export async function pendingEnrollment(
  actor: Pick<Actor, "id" | "email">,
): Promise<{ secret: string; uri: string } | null> {
  const row = await db.user.findUnique({
    where: { id: actor.id },
    select: { mfaPendingSecret: true, mfaEnabledAt: true },
  });
  if (!row?.mfaPendingSecret || row.mfaEnabledAt) return null;
  const secret = decryptSecret(row.mfaPendingSecret, mfaEncryptionKey());
  return { secret, uri: totpUri(secret, actor.email) };
}

const WRONG_PASSWORD = "That is not your password.";

/**
 * Turns MFA on when `password` is the account's and `code` comes from the pending secret (one
 * throttled attempt for both, before bcrypt). Every session of the account ends, this one
 * included (someone who had a session before MFA must not keep it): the person signs in again
 * with a code. Returns the 10 recovery codes once, and the new session version.
 */
export async function confirmEnrollment(
  ctx: ServiceContext,
  input: { code: string; password: string },
): Promise<{ recoveryCodes: string[]; sessionVersion: number }> {
  const { actor } = ctx;
  await takeCodeAttempt(actor.id);
  const row = await db.user.findUnique({
    where: { id: actor.id },
    select: { mfaPendingSecret: true, mfaEnabledAt: true, passwordHash: true },
  });
  if (row?.mfaEnabledAt) throw new ConflictError("Two-factor authentication is already on.");
  if (!row?.mfaPendingSecret) throw new ConflictError("Start the setup again.");
  if (!(await verifyPassword(input.password, row.passwordHash))) {
    await auditFailure(ctx, "account.mfa_enable", "wrong_password");
    throw new ValidationError(WRONG_PASSWORD, { password: [WRONG_PASSWORD] });
  }
  const step = totpStepFor(row.mfaPendingSecret, input.code);
  if (step === null) {
    await auditFailure(ctx, "account.mfa_enable", "wrong_code");
    throw wrongCode();
  }
  const pending = row.mfaPendingSecret;
  const result = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: actor.id, mfaEnabledAt: null, mfaPendingSecret: pending },
      data: {
        mfaSecret: pending,
        mfaPendingSecret: null,
        mfaEnabledAt: new Date(),
        mfaLastStep: step,
      },
    });
    if (count !== 1) throw new ConflictError("Start the setup again.");
    const codes = await replaceRecoveryCodes(tx, actor.id);
    const sessions = await revokeSessions(tx, ctx, actor.id, "mfa_enable");
    await recordAudit(tx, {
      actor,
      action: "account.mfa_enable",
      entityType: "User",
      entityId: actor.id,
      outcome: "SUCCESS",
      before: { mfaEnabled: false, sessionVersion: sessions.before },
      after: { mfaEnabled: true, sessionVersion: sessions.after },
      metadata: { recoveryCodesIssued: codes.length },
      context: ctx.request,
    });
    await securityEvent("auth.mfa_changed", { change: "enabled", userId: actor.id }, { tx });
    return { recoveryCodes: codes, sessionVersion: sessions.after };
  });
  await refundCodeAttempt(actor.id);
  return result;
}

/** Checks a current TOTP code (not a recovery code) for a change to one's own MFA. */
async function requireCurrentCode(ctx: ServiceContext, code: string, action: string) {
  const { actor } = ctx;
  await takeCodeAttempt(actor.id);
  const check = await checkCode(db, actor.id, code, { allowRecovery: false });
  if (!check.ok) {
    if (check.reason === "not_enrolled")
      throw new ConflictError("Two-factor authentication is off.");
    await auditFailure(ctx, action, check.reason);
    throw wrongCode();
  }
  await refundCodeAttempt(actor.id);
}

/** New recovery codes (the old ones stop working); needs a current code. */
export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  input: { code: string },
): Promise<{ recoveryCodes: string[] }> {
  const { actor } = ctx;
  await requireCurrentCode(ctx, input.code, "account.mfa_recovery_regenerate");
  const recoveryCodes = await db.$transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, actor.id);
    await recordAudit(tx, {
      actor,
      action: "account.mfa_recovery_regenerate",
      entityType: "User",
      entityId: actor.id,
      outcome: "SUCCESS",
      metadata: { recoveryCodesIssued: codes.length },
      context: ctx.request,
    });
    await securityEvent(
      "auth.mfa_changed",
      { change: "recovery_codes_regenerated", userId: actor.id },
      { tx },
    );
    return codes;
  });
  return { recoveryCodes };
}

const MFA_FIELDS_OFF = {
  mfaSecret: null,
  mfaPendingSecret: null,
  mfaEnabledAt: null,
  mfaLastStep: null,
} as const;

/** Turns one's own MFA off (needs a current code); refused to roles that must use it. */
export async function disableMfa(ctx: ServiceContext, input: { code: string }): Promise<void> {
  const { actor } = ctx;
  if (mfaRequiredFor(actor.role, env().TESSERA_STAFF_MFA)) {
    throw new ForbiddenError("Two-factor authentication is required for your role.");
  }
  await requireCurrentCode(ctx, input.code, "account.mfa_disable");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: MFA_FIELDS_OFF });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId: actor.id } });
    await recordAudit(tx, {
      actor,
      action: "account.mfa_disable",
      entityType: "User",
      entityId: actor.id,
      outcome: "SUCCESS",
      before: { mfaEnabled: true },
      after: { mfaEnabled: false },
      context: ctx.request,
    });
    await securityEvent("auth.mfa_changed", { change: "disabled", userId: actor.id }, { tx });
  });
}

/**
 * An admin turns someone's MFA off (lost phone and codes): they must enroll again at their next
 * sign-in, and every session of theirs ends (sessionVersion bump). The caller checks the admin's
 * permission and fresh confirmation in `tx` (lib/users/admin-service.ts).
 */
export async function resetMfaInTx(
  tx: Tx,
  ctx: ServiceContext,
  userId: string,
): Promise<{ changed: boolean }> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      email: string;
      sessionVersion: number;
      mfaEnabledAt: Date | null;
      pending: boolean;
    }[]
  >`SELECT id, email, "sessionVersion", "mfaEnabledAt", "mfaPendingSecret" IS NOT NULL AS pending
    FROM "User" WHERE id = ${userId} FOR UPDATE`;
  const target = rows[0];
  if (!target) throw new NotFoundError("User not found.");
  if (!target.mfaEnabledAt && !target.pending) return { changed: false };
  await tx.user.update({ where: { id: userId }, data: MFA_FIELDS_OFF });
  const sessions = await revokeSessions(tx, ctx, userId, "mfa_reset");
  await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "user.mfa_reset",
    entityType: "User",
    entityId: userId,
    outcome: "SUCCESS",
    before: { mfaEnabled: Boolean(target.mfaEnabledAt), sessionVersion: sessions.before },
    after: { mfaEnabled: false, sessionVersion: sessions.after },
    metadata: { email: target.email },
    context: ctx.request,
  });
  await securityEvent("auth.mfa_changed", { change: "reset", userId, by: ctx.actor.id }, { tx });
  return { changed: true };
}
