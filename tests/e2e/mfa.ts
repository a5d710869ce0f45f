// MFA helpers for the e2e suite: the app under test runs with this MFA_ENCRYPTION_KEY
// (playwright.config.ts), so tests can write enrolled staff straight into its database.
import { encryptSecret } from "@/lib/auth/mfa/crypto";
import { decodeMfaKey } from "@/lib/auth/mfa/key";
import { generateTotpSecret, stepAt, totpCode } from "@/lib/auth/mfa/totp";
import { E2E_MFA_ENCRYPTION_KEY } from "./mfa-key";

/** A new TOTP secret and its stored (encrypted) form. */
export function e2eMfaSecret(): { secret: string; encrypted: string } {
  const secret = generateTotpSecret();
  return { secret, encrypted: encryptSecret(secret, decodeMfaKey(E2E_MFA_ENCRYPTION_KEY)!) };
}

/** The current code for `secret`, or the next step's when `after` (a step) was already used. */
export async function freshCode(
  secret: string,
  after?: number,
): Promise<{ code: string; step: number }> {
  let now = Date.now();
  if (after !== undefined && stepAt(now) <= after) {
    const wait = (after + 1) * 30_000 - now + 200;
    await new Promise((r) => setTimeout(r, wait));
    now = Date.now();
  }
  return { code: totpCode(secret, now), step: stepAt(now) };
}
