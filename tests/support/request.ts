// The one part of a Next request the code reads, stubbed: next/headers (the request headers and
// the cookie jar). Everything else in a test is real: guards, database, audit. A test file does
//   const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
//   vi.mock("next/headers", () => nextHeadersMock(state));
// and then `await actAs(state, user)` before each call, as a browser signed in as `user` would.
import { encode } from "next-auth/jwt";

export type RequestState = { headers: Headers; cookies: Map<string, string> };

/** The stand-in for next/headers: request headers and a cookie jar actions may write to. */
export function nextHeadersMock(state: RequestState) {
  return {
    headers: async () => state.headers,
    cookies: async () => ({
      get: (name: string) =>
        state.cookies.has(name) ? { name, value: state.cookies.get(name)! } : undefined,
      getAll: () => [...state.cookies].map(([name, value]) => ({ name, value })),
      has: (name: string) => state.cookies.has(name),
      set: (name: string, value: string) => void state.cookies.set(name, value),
      delete: (name: string) => void state.cookies.delete(name),
    }),
  };
}

export type SessionOptions = {
  /** The token's sessionVersion (the guards compare it with the database). Default 1. */
  sv?: number;
  /** The role claim, when it should differ from the user's (the guards ignore it). */
  role?: string;
  /** Seconds since sign-in and since the last request (session lifetimes). */
  authAgo?: number;
  seenAgo?: number;
  /** Signed with another secret (a forged cookie). */
  secret?: string;
  /** "oidc": a single sign-on session (the identity provider's MFA applies; ADR 029). */
  am?: "oidc";
};

const now = () => Math.floor(Date.now() / 1000);

/** The `cookie` header of a browser signed in as `user`, minted as Auth.js mints it. */
export async function sessionCookie(
  user: { id: string; role: string },
  options: SessionOptions = {},
): Promise<string> {
  const token = await encode({
    token: {
      sub: user.id,
      uid: user.id,
      role: (options.role ?? user.role) as "USER",
      sv: options.sv ?? 1,
      ...(options.authAgo !== undefined && { at: now() - options.authAgo }),
      ...(options.seenAgo !== undefined && { ls: now() - options.seenAgo }),
      ...(options.am && { am: options.am }),
    },
    secret: options.secret ?? process.env.AUTH_SECRET!,
    salt: "authjs.session-token",
  });
  return `authjs.session-token=${token}`;
}

let ipCounter = 0;

/**
 * A client address of its own (IPv6 documentation prefix): repeated refusals are aggregated per
 * source (lib/security/refusals.ts), so tests that expect their own refusal audited in full
 * come from an address nobody else uses.
 */
export function testIp(): string {
  ipCounter += 1;
  return `2001:db8:${process.pid.toString(16)}:${ipCounter.toString(16)}::${Math.floor(Math.random() * 0xffff).toString(16)}`;
}

/**
 * Request headers as the middleware passes them on (a request id, a client address: a fresh one
 * per request unless given).
 */
export function requestHeaders(
  options: { requestId?: string; ip?: string; cookie?: string | null } = {},
): Headers {
  const h = new Headers({
    host: "localhost:3000",
    "x-forwarded-proto": "http",
    "x-request-id": options.requestId ?? `req-${crypto.randomUUID()}`,
    "user-agent": "vitest",
    "x-forwarded-for": options.ip ?? testIp(),
  });
  if (options.cookie) h.set("cookie", options.cookie);
  return h;
}

/**
 * Starts a "new request" as `user` (or anonymous): a session cookie (see SessionOptions), fresh
 * headers, and the browser's other cookies from `jar` (the reauth cookie), so a test can play
 * several browsers.
 */
export async function actAs(
  state: RequestState,
  user: { id: string; role: string } | null,
  options: SessionOptions & { requestId?: string; ip?: string; jar?: Map<string, string> } = {},
): Promise<void> {
  const cookie = user ? await sessionCookie(user, options) : null;
  state.headers = requestHeaders({ ...options, cookie });
  state.cookies = options.jar ?? new Map();
}

/**
 * A same-origin form POST, as a browser sends one from our own page: the URL's query string
 * becomes the urlencoded body, Origin is the URL's origin (which is what publicOrigin() derives
 * from requestHeaders()' host), Sec-Fetch-Site same-origin.
 */
export function formPost(
  url: string,
  headers: Headers,
  extra: Record<string, string> = {},
): Request {
  const target = new URL(url);
  const h = new Headers(headers);
  h.set("origin", target.origin);
  h.set("sec-fetch-site", "same-origin");
  h.set("content-type", "application/x-www-form-urlencoded");
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  const body = target.searchParams.toString();
  target.search = "";
  return new Request(target, { method: "POST", headers: h, body });
}

/**
 * A same-origin POST with a raw body, as our own pages send a file upload (fetch with the file as
 * the body): Origin is the URL's origin, Sec-Fetch-Site same-origin, plus `extra` headers (the
 * file name, the type, the length).
 */
export function rawPost(
  url: string,
  headers: Headers,
  body: Uint8Array,
  extra: Record<string, string> = {},
): Request {
  const target = new URL(url);
  const h = new Headers(headers);
  h.set("origin", target.origin);
  h.set("sec-fetch-site", "same-origin");
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  return new Request(target, { method: "POST", headers: h, body: new Uint8Array(body) });
}
