// Recovery codes: 10 per enrollment, shown once, stored only as a keyed hash. Each is 10
// characters of lower-case base32 (50 bits), written "abcde-fghij"; one signs in exactly once.
//
// Stored form: "h1:" + HMAC-SHA256(K, sha256(code)), K derived from MFA_ENCRYPTION_KEY. 50 bits
// under a bare sha256 fall to an offline search of a leaked table in hours; under a key kept out
// of the database they do not. Codes stored by earlier versions (bare sha256 hex) are upgraded
// in place with the same function, since the legacy value is exactly the inner sha256: at server
// start (instrumentation.ts) and, for one account, before its codes are checked.
// No "server-only": pure node:crypto (the e2e tests compute the same values).
import { createHash, createHmac, randomInt } from "node:crypto";
import { decodeMfaKey } from "@/lib/auth/mfa/key";

export const RECOVERY_CODE_COUNT = 10;
// RFC 4648 base32, lower-case (no 0, 1, 8, 9 to confuse with o, l, b, g): 5 bits per character.
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const one = () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  };
  const codes = new Set<string>();
  while (codes.size < count) codes.add(one());
  return [...codes];
}

/** Lower-cases and removes spaces and dashes, so "ABCDE FGHIJ" and "abcde-fghij" match. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

/** The prefix of a keyed (current) hash; anything else is a legacy bare sha256. */
export const KEYED_PREFIX = "h1:";

/** The recovery-code key, derived from MFA_ENCRYPTION_KEY (or the given 32-byte key). */
export function recoveryCodeKey(mfaKey?: Buffer): Buffer {
  const base = mfaKey ?? decodeMfaKey(process.env.MFA_ENCRYPTION_KEY ?? "");
  if (!base) throw new Error("MFA_ENCRYPTION_KEY is not set: recovery codes cannot be hashed.");
  return createHmac("sha256", base).update("tessera.recovery-code.v1").digest();
}

/** What earlier versions stored: the bare sha256 of the normalised code. */
export function legacyRecoveryCodeHash(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code), "utf8").digest("hex");
}

/** The keyed form of a legacy hash (the migration: no code needed). */
export function upgradeLegacyHash(legacy: string, key: Buffer = recoveryCodeKey()): string {
  return KEYED_PREFIX + createHmac("sha256", key).update(legacy, "utf8").digest("hex");
}

/** What is stored for `code`, and what a submitted code is looked up by. */
export function hashRecoveryCode(code: string, key: Buffer = recoveryCodeKey()): string {
  return upgradeLegacyHash(legacyRecoveryCodeHash(code), key);
}

export function isKeyedHash(stored: string): boolean {
  return stored.startsWith(KEYED_PREFIX);
}
