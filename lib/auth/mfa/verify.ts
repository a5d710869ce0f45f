import "server-only";
import type { Db, Tx } from "@/lib/db";
import { RateLimitedError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import {
  Limiter,
  rateLimitStore,
  RateLimitStoreError,
  ThrottleUnavailableError,
} from "@/lib/rate-limit";
import { rateLimitConfig } from "@/lib/rate-limit/config";
import { mfaEncryptionKey } from "@/lib/env";
import { decryptSecret } from "@/lib/auth/mfa/crypto";
import { hashRecoveryCode, recoveryCodeKey } from "@/lib/auth/mfa/recovery";
import { upgradeRecoveryCodeHashes } from "@/lib/auth/mfa/recovery-upgrade";
import { RecoveryCodeSchema, TotpCodeSchema } from "@/lib/auth/mfa/schemas";
import { matchTotp } from "@/lib/auth/mfa/totp";

// Checking a code: throttled per account BEFORE anything is compared (each attempt takes a
// point; a right code gives it back), a TOTP step accepted at most once (the atomic update of
// mfaLastStep), a recovery code consumed at most once (the atomic update of usedAt).

export type Factor = "totp" | "recovery";
export type CodeCheck =
  | { ok: true; factor: Factor }
  | { ok: false; reason: "wrong_code" | "replayed_code" | "not_enrolled" };

function limiter() {
  return new Limiter(rateLimitStore(), rateLimitConfig().mfaCode);
}

/** Takes one attempt from the account's allowance; throws when there is none left. */
export async function takeCodeAttempt(userId: string): Promise<void> {
  try {
    const decision = await limiter().consume(userId);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  } catch (error) {
    if (!(error instanceof RateLimitStoreError)) throw error;
    logger.error({ event: "rate_limit_store_down", rule: "mfa-code", err: error }, error.message);
    throw new ThrottleUnavailableError();
  }
}

/** A right code does not count against the allowance. */
export async function refundCodeAttempt(userId: string): Promise<void> {
  await limiter()
    .refund(userId)
    .catch((err: unknown) => logger.error({ event: "rate_limit_store_down", err }, "mfa refund"));
}

/** The step `code` matches for this encrypted secret, or null (no replay check here). */
export function totpStepFor(encryptedSecret: string, code: string, nowMs = Date.now()) {
  const parsed = TotpCodeSchema.safeParse(code);
  if (!parsed.success) return null;
  return matchTotp(decryptSecret(encryptedSecret, mfaEncryptionKey()), parsed.data, nowMs);
}

/** Records `step` as used; false when this or a later step was already accepted (replay). */
export async function claimTotpStep(client: Db | Tx, userId: string, step: number) {
  const { count } = await client.user.updateMany({
    where: { id: userId, OR: [{ mfaLastStep: null }, { mfaLastStep: { lt: step } }] },
    data: { mfaLastStep: step },
  });
  return count === 1;
}

/**
 * Checks a TOTP code (6 digits) or, when `allowRecovery`, a recovery code, against the
 * account's confirmed secret. Does not throttle: callers call takeCodeAttempt first.
 */
export async function checkCode(
  client: Db | Tx,
  userId: string,
  code: string,
  options: { allowRecovery: boolean; nowMs?: number },
): Promise<CodeCheck> {
  const user = await client.user.findUnique({
    where: { id: userId },
    select: { mfaSecret: true, mfaEnabledAt: true },
  });
  if (!user?.mfaSecret || !user.mfaEnabledAt) return { ok: false, reason: "not_enrolled" };
  if (TotpCodeSchema.safeParse(code).success) {
    const step = totpStepFor(user.mfaSecret, code, options.nowMs);
    if (step === null) return { ok: false, reason: "wrong_code" };
    return (await claimTotpStep(client, userId, step))
      ? { ok: true, factor: "totp" }
      : { ok: false, reason: "replayed_code" };
  }
  const recovery = RecoveryCodeSchema.safeParse(code);
  if (!options.allowRecovery || !recovery.success) return { ok: false, reason: "wrong_code" };
  // Codes from before the keyed hash are upgraded first (normally done at server start).
  await upgradeRecoveryCodeHashes(client, userId);
  const codeHash = hashRecoveryCode(recovery.data, recoveryCodeKey(mfaEncryptionKey()));
  const { count } = await client.mfaRecoveryCode.updateMany({
    where: { userId, codeHash, usedAt: null },
    data: { usedAt: new Date() },
  });
  if (count === 1) return { ok: true, factor: "recovery" };
  const used = await client.mfaRecoveryCode.findUnique({
    where: { userId_codeHash: { userId, codeHash } },
    select: { id: true },
  });
  return { ok: false, reason: used ? "replayed_code" : "wrong_code" };
}
