// Recovery codes: 10 per enrollment, shown once, stored as sha256 only. Each is 10 characters
// of lower-case base32 (50 bits), written "abcde-fghij"; one signs in exactly once.
import { createHash, randomInt } from "node:crypto";

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

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code), "utf8").digest("hex");
}
