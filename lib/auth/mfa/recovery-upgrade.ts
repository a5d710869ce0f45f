import "server-only";
import { db, type Db, type Tx } from "@/lib/db";
import { env, mfaEncryptionKey } from "@/lib/env";
import { logger } from "@/lib/logger";
import { KEYED_PREFIX, recoveryCodeKey, upgradeLegacyHash } from "@/lib/auth/mfa/recovery";

// The migration of recovery codes stored by earlier versions as a bare sha256 to the keyed form
// (lib/auth/mfa/recovery.ts): the legacy value is the inner hash of the new one, so no code is
// needed. Idempotent; each row is rewritten only if it still holds the legacy value.

/** Upgrades the legacy hashes of one account (`userId`) or of all; returns how many. */
export async function upgradeRecoveryCodeHashes(
  client: Db | Tx = db,
  userId?: string,
): Promise<number> {
  const rows = await client.mfaRecoveryCode.findMany({
    where: { ...(userId ? { userId } : {}), NOT: { codeHash: { startsWith: KEYED_PREFIX } } },
    select: { id: true, codeHash: true },
  });
  if (rows.length === 0) return 0;
  const key = recoveryCodeKey(mfaEncryptionKey());
  let upgraded = 0;
  for (const row of rows) {
    const { count } = await client.mfaRecoveryCode.updateMany({
      where: { id: row.id, codeHash: row.codeHash },
      data: { codeHash: upgradeLegacyHash(row.codeHash, key) },
    });
    upgraded += count;
  }
  return upgraded;
}

/** At server start (instrumentation.ts): every legacy hash, once; never fails the start. */
export async function upgradeRecoveryCodeHashesAtStart(): Promise<void> {
  try {
    if (!env().MFA_ENCRYPTION_KEY) return;
    const upgraded = await upgradeRecoveryCodeHashes();
    if (upgraded > 0) {
      logger.info({ event: "recovery_codes_upgraded", upgraded }, "recovery code hashes keyed");
    }
  } catch (err) {
    logger.error({ event: "recovery_codes_upgrade_failed", err }, "recovery code upgrade failed");
  }
}
