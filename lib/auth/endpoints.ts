import "server-only";
import { currentUser } from "@/lib/auth/guards";

// Auth.js's own HTTP endpoints (app/api/auth/[...nextauth]/route.ts) held to the app's rules:
// - every sign-out ends the session (lib/auth/sessions.ts, endSessionsOnSignOut, wired as
//   Auth.js's signOut event in lib/auth/index.ts): Auth.js's `POST /api/auth/signout` used to
//   clear the cookie but leave a saved copy valid;
// - `/api/auth/session` answers only for a session the guards would accept (the same database
//   re-check as pages), with the role from the database; a revoked session gets `null` and no
//   refreshed cookie. See docs/decisions/005-session-revocation.md.

const SESSION_PATH = "/api/auth/session";

/**
 * Auth.js's HTTP session update (POST /api/auth/session): unused by the app (no client-side
 * `update()`), and a way to re-encode a token outside the guards: refused.
 */
export function refuseSessionUpdate<R extends Request>(
  handler: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request: R) => {
    if (new URL(request.url).pathname !== SESSION_PATH) return handler(request);
    return new Response(null, { status: 405, headers: { allow: "GET" } });
  };
}

/**
 * Wraps Auth.js's handler for `GET /api/auth/session`: without a session
 * the guards accept, answers `null` without calling Auth.js (which would re-encode and refresh
 * the cookie of a revoked token); with one, the user fields come from the database.
 */
export function withSessionRecheck<R extends Request>(
  handler: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request: R) => {
    if (new URL(request.url).pathname !== SESSION_PATH) return handler(request);
    const user = await currentUser();
    if (!user) {
      return Response.json(null, { headers: { "cache-control": "no-store" } });
    }
    const response = await handler(request);
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { user?: Record<string, unknown> } | null;
    if (!body?.user) return response;
    body.user = { ...body.user, id: user.id, email: user.email, name: user.name, role: user.role };
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(JSON.stringify(body), { status: response.status, headers });
  };
}
