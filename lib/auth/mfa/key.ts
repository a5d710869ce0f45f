// MFA_ENCRYPTION_KEY parsing, shared by lib/env.ts and scripts/start.ts (no "server-only").

/** 32 bytes from 64 hex digits or base64/base64url; null for anything else. */
export function decodeMfaKey(value: string): Buffer | null {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, "hex")
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
      ? Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64")
      : null;
  return key?.length === 32 ? key : null;
}

export const MFA_KEY_HELP =
  "MFA_ENCRYPTION_KEY must be 32 random bytes in base64 or hex " +
  "(generate one with `openssl rand -base64 32`)";
