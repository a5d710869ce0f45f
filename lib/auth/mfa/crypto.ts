// AES-256-GCM for TOTP secrets at rest. Stored as "v1:<iv>:<tag>:<ciphertext>" (base64url parts);
// a changed byte anywhere fails the tag check. No "server-only": the test factories use it too,
// with the key passed in.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";

export class MfaSecretDecryptError extends Error {
  constructor() {
    super("The stored MFA secret could not be decrypted (wrong MFA_ENCRYPTION_KEY or tampered).");
  }
}

export function encryptSecret(plain: string, key: Buffer): string {
  if (key.length !== 32) throw new Error("MFA encryption key must be 32 bytes");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ct]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(":");
}

export function decryptSecret(stored: string, key: Buffer): string {
  const parts = stored.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new MfaSecretDecryptError();
  const [iv, tag, ct] = parts.slice(1).map((p) => Buffer.from(p, "base64url"));
  if (iv!.length !== 12 || tag!.length !== 16) throw new MfaSecretDecryptError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ct!), decipher.final()]).toString("utf8");
  } catch {
    throw new MfaSecretDecryptError();
  }
}
