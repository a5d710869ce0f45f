import { userFromCookie } from "@/lib/auth/guards";
import { problemResponse } from "@/lib/api/problem";
import { mayStream, openLiveStream } from "@/lib/live/server";
import { requestContextFrom } from "@/lib/request-context";

// Live updates (docs/decisions/028-live-updates.md): a server-sent events stream of IDs for the
// signed-in user, scoped like their reads; `?ticket=<id>` on a ticket page adds the presence of
// other staff there. The session is re-checked at every heartbeat.

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const { requestId } = requestContextFrom(request.headers);
  const cookie = request.headers.get("cookie");
  const user = await userFromCookie(cookie);
  if (!mayStream(user)) return problemResponse(401, requestId, { detail: "Please sign in again." });
  const raw = new URL(request.url).searchParams.get("ticket");
  const ticketId = raw && /^[a-z0-9]{1,40}$/.test(raw) ? raw : null;
  const response = openLiveStream({ user, cookie, ticketId, signal: request.signal });
  return (
    response ??
    problemResponse(429, requestId, {
      detail: "Too many live update streams are open.",
      headers: { "retry-after": "30" },
    })
  );
}
