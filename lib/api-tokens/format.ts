// The shape of a personal access token (ADR 025). Pure: no database, safe in tests and scripts.
//
//   tsr_pat_<30 random base62 characters><6 base62 characters of CRC32 over the random part>
//
// A fixed, greppable prefix and a checksum (as GitHub's tokens) let secret scanners find leaked
// tokens with few false positives, and let the server refuse a mistyped token without a query.
// Only the sha256 of the whole token is stored: 178 random bits need no salt or slow hash.
import { createHash, randomInt } from "node:crypto";

export const TOKEN_PREFIX = "tsr_pat_";
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const TOKEN_PATTERN = /^tsr_pat_[0-9A-Za-z]{36}$/;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** A new token: shown to its owner once, then only its hash is kept. */
export function generateToken(): string {
  let random = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  return `${TOKEN_PREFIX}${random}${base62(crc32(random), CHECKSUM_LENGTH)}`;
}

/** Well formed and its checksum matches (a typo or a truncated copy fails here). */
export function isWellFormedToken(token: string): boolean {
  if (!TOKEN_PATTERN.test(token)) return false;
  const body = token.slice(TOKEN_PREFIX.length);
  const random = body.slice(0, RANDOM_LENGTH);
  return body.slice(RANDOM_LENGTH) === base62(crc32(random), CHECKSUM_LENGTH);
}

/** What is stored and looked up: sha256 (hex) of the whole token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** What lists show ("tsr_pat_AbC123"): enough to recognise a token, far too little to use it. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}
