import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { refuseSessionUpdate, withSessionRecheck } from "@/lib/auth/endpoints";
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
  return origin === current ? request : new NextRequest(href.replace(current, origin), request);
}

// /api/auth/session answers only for a session the guards accept (lib/auth/endpoints.ts).
export const GET = withSessionRecheck((request: NextRequest) =>
  handlers.GET(onPublicOrigin(request)),
);
// A throttled credentials sign-in answers 429 + Retry-After instead of Auth.js's redirect.
// No HTTP session update: the app re-issues tokens only from its own server actions.
export const POST = refuseSessionUpdate(
  withThrottleStatus((request: NextRequest) => handlers.POST(onPublicOrigin(request))),
);
