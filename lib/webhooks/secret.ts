// Webhook signing secrets: made here, shown to the admin once, stored AES-256-GCM encrypted
// (lib/auth/mfa/crypto.ts) under a key derived from MFA_ENCRYPTION_KEY for this use only
// (ADR 027): no second key to configure, and a leaked webhook ciphertext says nothing about MFA.
// No "server-only": tests pass the key in.
import { createHmac, randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/auth/mfa/crypto";
import { decodeMfaKey } from "@/lib/auth/mfa/key";

export const SECRET_PREFIX = "whsec_";

/** A new signing secret: "whsec_" and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** The encryption key for webhook secrets, derived from MFA_ENCRYPTION_KEY (or the given key). */
export function webhookSecretKey(mfaKey?: Buffer): Buffer {
  const base = mfaKey ?? decodeMfaKey(process.env.MFA_ENCRYPTION_KEY ?? "");
  if (!base) throw new Error("MFA_ENCRYPTION_KEY is not set: webhook secrets cannot be stored.");
  return createHmac("sha256", base).update("tessera.webhook-secret.v1").digest();
}

export const sealWebhookSecret = (secret: string, key: Buffer = webhookSecretKey()) =>
  encryptSecret(secret, key);

export const openWebhookSecret = (stored: string, key: Buffer = webhookSecretKey()) =>
  decryptSecret(stored, key);
