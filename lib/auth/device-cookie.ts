// The device cookie (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): set on a
// successful sign-in (password, and the code when the account uses MFA), it lets that browser
// sign in to that account past the per-account throttle an attacker elsewhere keeps tripping.
// Signed with HMAC-SHA256 under a key derived from AUTH_SECRET; bound to the account (a keyed
// tag of its email, not the email itself); valid for DEVICE_COOKIE_DAYS. The throttle also
// counts each device's own failures (lib/rate-limit/sign-in-throttle.ts): a stolen cookie buys
// a handful of guesses, then the device is treated like any other.
// No "server-only": pure node:crypto, unit-testable.
import { createHmac, randomBytes } from "node:crypto";
import { authSecretKey, safeEqual } from "@/lib/auth/server-keys";

export const DEVICE_COOKIE = "tessera-device";
export const DEVICE_COOKIE_DAYS = 180;
const VERSION = "d1";

function mac(key: Buffer, text: string, length = 43): string {
  return createHmac("sha256", key).update(text, "utf8").digest("base64url").slice(0, length);
}

function accountTag(key: Buffer, email: string): string {
  return mac(key, `account:${email.trim().toLowerCase()}`, 22);
}

/** A new (or refreshed, keeping `deviceId`) cookie value for `email`'s account on this browser. */
export function issueDeviceCookie(
  email: string,
  options: { deviceId?: string; nowSeconds?: number; secret?: string } = {},
): string {
  const key = authSecretKey("device-cookie", options.secret);
  const deviceId = options.deviceId ?? randomBytes(16).toString("base64url");
  const issued = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const body = `${VERSION}.${accountTag(key, email)}.${deviceId}.${issued}`;
  return `${body}.${mac(key, body)}`;
}

/**
 * The device id when `value` is a genuine, unexpired cookie of `email`'s account; null for
 * anything else (forged, another account's, expired, malformed).
 */
export function recognisedDevice(
  value: string | null | undefined,
  email: string,
  options: { nowSeconds?: number; secret?: string } = {},
): string | null {
  if (!value || value.length > 200 || !email) return null;
  const parts = value.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  const [, tag, deviceId, issuedText, signature] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  const key = authSecretKey("device-cookie", options.secret);
  const body = parts.slice(0, 4).join(".");
  if (!safeEqual(signature, mac(key, body))) return null;
  if (!safeEqual(tag, accountTag(key, email))) return null;
  const issued = Number(issuedText);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(issued) || issued > now + 60) return null;
  if (now - issued > DEVICE_COOKIE_DAYS * 86_400) return null;
  return /^[A-Za-z0-9_-]{16,64}$/.test(deviceId) ? deviceId : null;
}

/** The cookie's value in a `cookie` request header, if any. */
export function deviceCookieFrom(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === DEVICE_COOKIE) return rest.join("=") || null;
  }
  return null;
}
