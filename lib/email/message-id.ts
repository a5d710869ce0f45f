// Our Message-IDs: <tessera.{ticket}.{random}.{mac}@domain>. The mac (HMAC-SHA256 under a key
// derived from AUTH_SECRET, first 16 bytes) lets inbound mail prove that an In-Reply-To or
// References id is one we sent, for that ticket: nobody without the secret can forge one that
// threads into someone else's ticket. {ticket} is the ticket number, or "x" for mail that
// belongs to no ticket (password reset, security alerts).
import { randomBytes } from "node:crypto";
import { authSecretKey, hmacHex, safeEqual } from "@/lib/auth/server-keys";

const PATTERN = /^tessera\.(\d+|x)\.([A-Za-z0-9_-]{8,32})\.([0-9a-f]{32})@[^\s<>@]+$/;

function mac(ticket: string, nonce: string, secret?: string): string {
  return hmacHex(authSecretKey("email-message-id", secret), `${ticket}.${nonce}`).slice(0, 32);
}

/** A new signed id (without angle brackets). */
export function newMessageId(ticketNumber: number | null, domain: string, secret?: string): string {
  const ticket = ticketNumber === null ? "x" : String(ticketNumber);
  const nonce = randomBytes(12).toString("base64url");
  return `tessera.${ticket}.${nonce}.${mac(ticket, nonce, secret)}@${domain}`;
}

/**
 * The ticket number an id of ours was signed for; null for an id that is not ours, forged, or
 * belongs to no ticket. Accepts the id with or without angle brackets.
 */
export function ticketOfMessageId(id: string, secret?: string): number | null {
  const bare = id.trim().replace(/^<|>$/g, "");
  const match = PATTERN.exec(bare);
  if (!match) return null;
  const [, ticket, nonce, given] = match;
  if (!safeEqual(mac(ticket!, nonce!, secret), given!)) return null;
  return ticket === "x" ? null : Number(ticket);
}

/** Is this one of ours (signed), whatever it belongs to? Our own mail coming back is dropped. */
export function isOwnMessageId(id: string, secret?: string): boolean {
  const bare = id.trim().replace(/^<|>$/g, "");
  const match = PATTERN.exec(bare);
  return Boolean(match && safeEqual(mac(match[1]!, match[2]!, secret), match[3]!));
}

/**
 * The References header of a reply in a thread: every id of the thread, oldest first, trimmed to
 * at most `max` ids keeping the first (the thread's root) and the most recent ones, so it stays
 * under relay header limits (RFC 5322 recommends no line limit, relays cut at ~998 chars/line).
 */
export function referencesOf(thread: string[], max = 10): string[] {
  const unique = [...new Set(thread)];
  if (unique.length <= max) return unique;
  return [unique[0]!, ...unique.slice(unique.length - (max - 1))];
}
