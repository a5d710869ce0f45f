// Edge middleware: the route table, request ids, the security headers and the per-response CSP
// nonce. A convenience layer only (it can be bypassed, see CVE-2025-29927, and cannot see the
// database): every page and action checks again with the guards in lib/auth/guards.ts.
// Why middleware.ts and not proxy.ts: docs/decisions/001-edge-middleware.md; the CSP: 009-csp.md.
import { NextResponse, type NextRequest } from "next/server";
import { can, routeAccess } from "@/lib/auth/permissions";
import { readSession, reissuedCookie } from "@/lib/auth/session-token";
import {
  ATTACHMENT_CSP,
  generateNonce,
  httpsRedirectTarget,
  isAttachmentPath,
  isHttpsRequest,
  publicOrigin,
  securityHeaders,
} from "@/lib/security/headers";

// The session is read with lib/auth/session-token.ts (Auth.js's decode and the jwt callback's
// lifetime rules), not Auth.js's auth() wrapper, which re-encrypted the cookie and made a CSRF
// token on every request (ADR 020). The cookie is re-issued when the idle clock moves (at most
// once a minute) and cleared when the session has ended.
export default async function middleware(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const authUrl = process.env.AUTH_URL || undefined;

  // TESSERA_FORCE_HTTPS=1 behind a TLS proxy: plain HTTP is redirected before anything else.
  // 308 keeps the method and body, so a form posted over HTTP is not silently turned into a GET.
  if (process.env.TESSERA_FORCE_HTTPS === "1") {
    const target = httpsRedirectTarget(req.headers, req.nextUrl, authUrl);
    if (target) return NextResponse.redirect(target, 308);
  }

  const nonce = generateNonce();
  const headers = securityHeaders({
    nonce,
    dev: process.env.NODE_ENV === "development",
    https: isHttpsRequest(req.headers, req.nextUrl, authUrl),
  });
  const csp = headers["Content-Security-Policy"]!;

  // Not req.nextUrl.origin: under `next start` that is the bind address (http://localhost:PORT)
  // whatever host the browser used. scripts/server.ts has set X-Forwarded-Host/-Proto.
  const origin = publicOrigin(req.headers, req.nextUrl, authUrl);
  const access = routeAccess(pathname);
  const session = await readSession(req.headers.get("cookie"));
  const claims = session.state === "valid" ? session.claims : null;
  const signedIn = Boolean(claims?.id);

  let response: NextResponse;
  if (access !== "public" && !signedIn) {
    if (pathname.startsWith("/api/")) {
      response = NextResponse.json({ error: "unauthenticated" }, { status: 401 });
    } else {
      const login = new URL("/login", origin);
      login.searchParams.set("callbackUrl", `${pathname}${search}`);
      response = NextResponse.redirect(login);
    }
  } else if (
    access !== "public" &&
    access !== "signed-in" &&
    (!claims?.role || !can({ role: claims.role }, access))
  ) {
    response = NextResponse.redirect(new URL("/forbidden", origin));
  } else {
    const requestHeaders = new Headers(req.headers);
    // A fresh id for every request; a client-supplied one is never trusted.
    requestHeaders.set("x-request-id", crypto.randomUUID());
    // Next.js reads the nonce from the request's CSP header and puts it on its own scripts and
    // styles; x-nonce is for our components (`(await headers()).get("x-nonce")`). Both are set
    // here, overwriting anything the client sent.
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  // A served file keeps its sandbox policy (the page policy would allow our scripts there).
  if (isAttachmentPath(pathname)) response.headers.set("Content-Security-Policy", ATTACHMENT_CSP);
  // GET /api/auth/session re-checks the session itself (lib/auth/endpoints.ts) and refreshes the
  // cookie only for a session the guards accept: the edge, which cannot see the database, must
  // not hand a revoked session a fresh cookie there.
  // The live updates stream and presence heartbeats (ADR 028) are background traffic, not the
  // person's activity: they must not keep an idle session alive (an open tab would never time
  // out). An ended session's cookie is still removed there.
  const background = pathname === "/api/live" || pathname === "/api/live/presence";
  if (pathname !== "/api/auth/session") {
    if (session.state === "ended") response.cookies.delete(session.cookie);
    if (session.state === "valid" && session.reissue && !background) {
      const cookie = await reissuedCookie(session.cookie, session.reissue);
      response.cookies.set(cookie.name, cookie.value, cookie.options);
    }
  }
  return response;
}

// Exact paths only: a prefix such as `robots.txt` would also skip `/robots.txtX` (and with it
// the security headers). tests/e2e/proxy.spec.ts checks both sides.
export const config = {
  // Not the upload endpoint: a request the middleware matches has its body buffered by Next and
  // cut at proxyClientMaxBodySize (10 MB), so a 25 MB upload arrived truncated. The route does
  // its own authorization (the action wrapper's check) and sets its own headers.
  matcher: [
    "/((?!_next/static/|_next/image$|favicon\\.ico$|icon\\.svg$|robots\\.txt$|api/attachments$).*)",
  ],
};
