// Keys derived from the server's secrets, one per purpose, so a value keyed for one use can never
// stand for another (the same pattern as the CAPTCHA keys in lib/captcha/server.ts). No
// "server-only": pure node:crypto, so scripts and tests can compute the same values.
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a key derived from AUTH_SECRET is for. */
export type AuthSecretPurpose =
  "audit-email" | "audit-anchor" | "device-cookie" | "email-message-id" | "csat-link";

function authSecret(secret: string | undefined): string {
  if (!secret || secret.length < 32) throw new Error("AUTH_SECRET is not set");
  return secret;
}

/** A 32-byte key for `purpose`, derived from AUTH_SECRET (or the given secret, for tests). */
export function authSecretKey(
  purpose: AuthSecretPurpose,
  secret: string | undefined = process.env.AUTH_SECRET,
): Buffer {
  return createHmac("sha256", authSecret(secret)).update(`tessera.${purpose}.v1`).digest();
}

/** HMAC-SHA256 of `value` under `key`, hex. */
export function hmacHex(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("hex");
}

/** Constant-time comparison of two strings (false when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * What the audit trail keeps of a submitted sign-in "email" that is not a well-formed address of
 * an existing account (people paste passwords there): a keyed hash, never the text. Equal
 * submissions hash alike, so repeated attempts still correlate; without AUTH_SECRET nobody can
 * test guesses against it.
 */
export function auditEmailHash(value: string, secret?: string): string {
  return hmacHex(authSecretKey("audit-email", secret), value.trim().toLowerCase());
}
