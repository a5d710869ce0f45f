// Reading the session cookie on every request, cheaply (docs/decisions/020-session-read-path.md).
// Edge-safe: the middleware and the guards use it. Auth.js still signs people in and out and
// writes the cookie at sign-in; this module only reads it with Auth.js's own `decode`, applies
// the same lifetime rules as the jwt callback (continueSession), and re-encodes it with
// Auth.js's `encode` when the idle clock needs moving. What it leaves out of the per-request path
// is Auth.js's full request handling (a fresh CSRF token, the session callback, a re-encrypted
// cookie on every response), which cost ~6 ms of CPU per request in the middleware alone.
import { decode, encode, type JWT } from "next-auth/jwt";
import type { Role } from "@/lib/auth/permissions";
import { cookieMaxAgeSeconds, sessionExpiry } from "@/lib/auth/session-policy";

/** Auth.js's cookie names: the __Secure- one is used over HTTPS. */
export const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
export type SessionCookieName = (typeof SESSION_COOKIES)[number];

/** The idle clock (`ls`) moves, and the cookie is re-issued, at most once per this many seconds. */
export const SESSION_REISSUE_SECONDS = 60;

export type SessionClaims = {
  id: string;
  role: Role;
  sessionVersion: number;
  /** Sign-in time (Unix seconds). */
  authTime: number;
  /** How the person signed in: with a password (and Tessera's MFA) or single sign-on. */
  method: "password" | "oidc";
};

export type SessionRead =
  /** No session cookie. */
  | { state: "none" }
  /** A cookie that does not decode, or a session past its idle or absolute lifetime: clear it. */
  | { state: "ended"; cookie: SessionCookieName }
  | {
      state: "valid";
      claims: SessionClaims;
      cookie: SessionCookieName;
      /** The token to write back when the idle clock moved (null: the cookie stays as it is). */
      reissue: JWT | null;
    };

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Auth.js's secrets: AUTH_SECRET, then the rotated-out AUTH_SECRET_1..3 it still accepts. */
export function sessionSecrets(): string[] {
  const env = process.env;
  return [env.AUTH_SECRET, env.AUTH_SECRET_1, env.AUTH_SECRET_2, env.AUTH_SECRET_3].filter(
    (s): s is string => Boolean(s),
  );
}

/**
 * The lifetime rules of an existing session (the jwt callback's, shared): null when it is idle
 * or too old; otherwise the token with the idle clock (`ls`) at `now`. Tokens from before
 * `at`/`ls` existed fall back to `iat`, which only makes them expire sooner.
 */
export function continueSession(token: JWT, now = nowSeconds()): JWT | null {
  if (!token.uid || !token.role) return token;
  const iat = typeof token.iat === "number" ? token.iat : 0;
  const times = { authTime: token.at ?? iat, lastSeen: token.ls ?? iat };
  if (sessionExpiry(token.role, times, now)) return null;
  return { ...token, at: times.authTime, ls: now };
}

/** The value of cookie `name` in a Cookie header (first occurrence), or null. */
export function cookieFromHeader(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Reads the session from a request's Cookie header. Chunked cookies (Auth.js splits tokens over
 * ~4 kB; ours are a few hundred bytes) are not read: such a request is signed out.
 */
export async function readSession(cookieHeader: string | null): Promise<SessionRead> {
  for (const cookie of SESSION_COOKIES) {
    const value = cookieFromHeader(cookieHeader, cookie);
    if (!value) continue;
    let token: JWT | null = null;
    try {
      token = await decode({ token: value, secret: sessionSecrets(), salt: cookie });
    } catch {
      token = null; // tampered, or signed with a secret we no longer hold
    }
    if (!token?.uid || !token.role) return { state: "ended", cookie };
    const now = nowSeconds();
    const continued = continueSession(token, now);
    if (!continued) return { state: "ended", cookie };
    const lastSeen = token.ls ?? (typeof token.iat === "number" ? token.iat : 0);
    return {
      state: "valid",
      cookie,
      claims: {
        id: token.uid,
        role: token.role,
        sessionVersion: token.sv ?? 0,
        authTime: continued.at ?? 0,
        method: token.am === "oidc" ? "oidc" : "password",
      },
      reissue: now - lastSeen >= SESSION_REISSUE_SECONDS ? continued : null,
    };
  }
  return { state: "none" };
}

/** The cookie to set for a re-issued token, with the attributes Auth.js gives it at sign-in. */
export async function reissuedCookie(name: SessionCookieName, token: JWT) {
  const maxAge = cookieMaxAgeSeconds();
  const value = await encode({ token, secret: sessionSecrets(), salt: name, maxAge });
  return {
    name,
    value,
    options: {
      httpOnly: true,
      sameSite: "lax" as const,
      path: "/",
      secure: name.startsWith("__Secure-"),
      expires: new Date(Date.now() + maxAge * 1000),
    },
  };
}
