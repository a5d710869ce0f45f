// Edge middleware: the route table and request ids. A convenience layer only (it can be bypassed,
// see CVE-2025-29927, and cannot see the database): every page and action checks again with the
// guards in lib/auth/guards.ts. Why middleware.ts and not proxy.ts: docs/decisions/001-edge-middleware.md
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { routeAccess } from "@/lib/auth/permissions";

const { auth } = NextAuth(authConfig);

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

export default auth((req) => {
  const { pathname, search } = req.nextUrl;
  const access = routeAccess(pathname);
  const claims = req.auth?.user;
  const signedIn = Boolean(claims?.id);

  let response: NextResponse;
  if (access !== "public" && !signedIn) {
    if (pathname.startsWith("/api/")) {
      response = NextResponse.json({ error: "unauthenticated" }, { status: 401 });
    } else {
      const login = new URL("/login", req.nextUrl.origin);
      login.searchParams.set("callbackUrl", `${pathname}${search}`);
      response = NextResponse.redirect(login);
    }
  } else if (Array.isArray(access) && (!claims?.role || !access.includes(claims.role))) {
    response = NextResponse.redirect(new URL("/forbidden", req.nextUrl.origin));
  } else {
    // A fresh id for every request; a client-supplied one is never trusted.
    const requestHeaders = new Headers(req.headers);
    requestHeaders.set("x-request-id", crypto.randomUUID());
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
});

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
