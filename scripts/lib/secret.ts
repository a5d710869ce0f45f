import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeMfaKey } from "../../lib/auth/mfa/key";

/**
 * The embedded mode's AUTH_SECRET: generated once (48 random bytes, base64url) and kept in
 * <dataDir>/auth-secret with mode 0600, so sessions survive a restart but the secret never
 * lives in the repository or a shell history.
 */
export function loadOrCreateAuthSecret(dataDir: string): string {
  const file = join(dataDir, "auth-secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
    console.warn(`${file} is shorter than 32 characters; generating a new secret.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file; enforce it for a rewritten one.
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The embedded mode's MFA_ENCRYPTION_KEY (encrypts TOTP secrets): 32 random bytes, base64, kept
 * in <dataDir>/mfa-key with mode 0600 like the auth secret. Losing it means every account has
 * to set up MFA again; it is never regenerated over a readable file.
 */
export function loadOrCreateMfaKey(dataDir: string): string {
  const file = join(dataDir, "mfa-key");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (decodeMfaKey(existing)) return existing;
    throw new Error(
      `${file} does not hold a valid key (32 bytes, base64 or hex); fix or remove it.`,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
