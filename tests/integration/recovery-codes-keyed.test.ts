import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { contextFor, makeUser } from "@/tests/support/factories";

// Issue 10 §5: recovery codes (50 bits each) are stored as a keyed hash, HMAC-SHA256 under a key
// derived from MFA_ENCRYPTION_KEY, not a bare sha256 an offline search of a leaked table
// reverses; codes stored by earlier versions are migrated without knowing them.
const { startEnrollment, confirmEnrollment } = await import("@/lib/auth/mfa/service");
const { checkCode } = await import("@/lib/auth/mfa/verify");
const { totpCode } = await import("@/lib/auth/mfa/totp");
const { generateRecoveryCodes, hashRecoveryCode, recoveryCodeKey, isKeyedHash } =
  await import("@/lib/auth/mfa/recovery");
const { upgradeRecoveryCodeHashes } = await import("@/lib/auth/mfa/recovery-upgrade");

const db = createTestDb();
afterAll(() => db.$disconnect());

const bareSha256 = (code: string) =>
  createHash("sha256").update(code.replace("-", "")).digest("hex");

async function storedHashes(userId: string) {
  return (await db.mfaRecoveryCode.findMany({ where: { userId } })).map((r) => r.codeHash);
}

describe("recovery codes at rest", () => {
  it("enrollment stores a keyed hash: no bare sha256 of any code is in the table", async () => {
    const user = await makeUser(db, { mfa: false });
    const ctx = contextFor(user);
    const { secret } = await startEnrollment(ctx);
    const { recoveryCodes } = await confirmEnrollment(ctx, {
      code: totpCode(secret),
      password: user.password,
    });
    const stored = await storedHashes(user.id);
    expect(stored).toHaveLength(10);
    for (const hash of stored) expect(hash).toMatch(/^h1:[0-9a-f]{64}$/);
    for (const code of recoveryCodes) expect(stored).not.toContain(bareSha256(code));
    // Keyed: another MFA key gives other values.
    const otherKey = recoveryCodeKey(Buffer.alloc(32, 7));
    expect(stored).not.toContain(hashRecoveryCode(recoveryCodes[0]!, otherKey));
    expect(stored).toContain(hashRecoveryCode(recoveryCodes[0]!));
  });

  it("legacy sha256 rows are upgraded in place (no code needed) and still work once", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN" });
    const codes = generateRecoveryCodes(3);
    await db.mfaRecoveryCode.createMany({
      data: codes.map((code) => ({ userId: user.id, codeHash: bareSha256(code) })),
    });
    expect(await upgradeRecoveryCodeHashes(db)).toBeGreaterThanOrEqual(3);
    const stored = await storedHashes(user.id);
    expect(stored.every(isKeyedHash)).toBe(true);
    expect(stored.sort()).toEqual(codes.map((c) => hashRecoveryCode(c)).sort());
    // Idempotent.
    expect(await upgradeRecoveryCodeHashes(db, user.id)).toBe(0);

    expect(await checkCode(db, user.id, codes[0]!, { allowRecovery: true })).toEqual({
      ok: true,
      factor: "recovery",
    });
    expect(await checkCode(db, user.id, codes[0]!, { allowRecovery: true })).toEqual({
      ok: false,
      reason: "replayed_code",
    });
  });

  it("a legacy row missed by the start-up upgrade is upgraded when its account uses a code", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN" });
    const [code] = generateRecoveryCodes(1);
    await db.mfaRecoveryCode.create({ data: { userId: user.id, codeHash: bareSha256(code!) } });
    expect(await checkCode(db, user.id, code!, { allowRecovery: true })).toEqual({
      ok: true,
      factor: "recovery",
    });
    expect(await storedHashes(user.id)).toEqual([hashRecoveryCode(code!)]);
  });
});
