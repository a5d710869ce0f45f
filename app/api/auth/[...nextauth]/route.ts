import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { refuseSessionUpdate, withSessionRecheck } from "@/lib/auth/endpoints";
import { withSsoFailureAudit } from "@/lib/auth/sso/failures";
import { withThrottleStatus } from "@/lib/rate-limit/http";
import { publicOrigin } from "@/lib/security/headers";

/**
 * Auth.js takes its base URL from the request URL, which under `next start` is the bind address
 * (http://localhost:PORT) whatever host the browser used; next-auth corrects it only when
 * AUTH_URL is set. Without AUTH_URL, rebuild the request on the public origin (the Host or the
 * trusted proxy's X-Forwarded-Host/-Proto, as scripts/server.ts resolved them).
 */
function onPublicOrigin(request: NextRequest): NextRequest {
  if (process.env.AUTH_URL) return request;
  const origin = publicOrigin(request.headers, request.nextUrl, undefined);
  const { href, origin: current } = request.nextUrl;
  if (origin === current) return request;
  const target = href.replace(current, origin);
  // A GET (the single sign-on callback) as a plain Request: NextRequest's URL turns 127.x.x.x
  // and [::1] into "localhost" (Next's NextURL), so a callback reached at http://127.0.0.1:…
  // was handled as http://localhost:…, and the redirect URI sent with the code no longer
  // matched the one the sign-in started with (the provider refused the code). Auth.js reads
  // only the standard Request fields.
  if (request.method === "GET") {
    return new Request(target, { headers: request.headers, signal: request.signal }) as NextRequest;
  }
  return new NextRequest(target, request);
}

// /api/auth/session answers only for a session the guards accept (lib/auth/endpoints.ts).
// A refused SSO callback is audited (lib/auth/sso/failures.ts).
export const GET = withSessionRecheck(
  withSsoFailureAudit((request: NextRequest) => handlers.GET(onPublicOrigin(request))),
);
// A throttled credentials sign-in answers 429 + Retry-After instead of Auth.js's redirect.
// No HTTP session update: the app re-issues tokens only from its own server actions.
export const POST = refuseSessionUpdate(
  withThrottleStatus((request: NextRequest) => handlers.POST(onPublicOrigin(request))),
);
