import type { JsonValue } from "@/lib/audit/hash";

// Secrets never reach the audit trail: the trail is append-only, so a leaked secret there could
// never be removed. Keys are compared after lower-casing and dropping "-", "_" and spaces.

export const REDACTED = "[redacted]";

/** A key is secret when its normalized form contains one of these... */
const SECRET_KEY_PARTS = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "recoverycode",
  "apikey",
  "privatekey",
  "authorization",
  "cookie",
  "credential",
  "signature",
];
/** ...or is exactly one of these (short words that are too common as substrings). */
const SECRET_KEYS = new Set(["code", "otp", "totp", "pin", "confirm", "salt"]);

const MAX_DEPTH = 20;

export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_\s]/g, "");
  return SECRET_KEYS.has(normalized) || SECRET_KEY_PARTS.some((part) => normalized.includes(part));
}

// PostgreSQL rejects U+0000 in text and jsonb, and a lone surrogate would come back from the
// database as U+FFFD, changing the hash: make such strings storable and stable up front.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(value: string): string {
  return value.replace(UNSTORABLE, "\uFFFD");
}

function redactValue(value: JsonValue, depth: number): JsonValue {
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    // A flag or an empty value under a secret-looking key (mustChangePassword: true,
    // mfaSecret: null) reveals nothing and is worth keeping.
    const keep = item === null || typeof item === "boolean";
    out[storableText(key)] = isSecretKey(key) && !keep ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/**
 * Turns an arbitrary before/after/metadata value into the JSON that will be stored and hashed:
 * a JSON round trip (Dates become ISO strings, undefined members vanish, bigints become
 * strings), secrets replaced by "[redacted]", strings made storable. `undefined`/`null` -> null.
 */
export function prepareAuditJson(value: unknown): JsonValue | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  if (text === undefined) return null; // a function or symbol
  return redactValue(JSON.parse(text) as JsonValue, 0);
}
