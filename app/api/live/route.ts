import { userFromCookie } from "@/lib/auth/guards";
import { mayStream, openLiveStream } from "@/lib/live/server";

// Live updates (docs/decisions/028-live-updates.md): a server-sent events stream of IDs for the
// signed-in user, scoped like their reads; `?ticket=<id>` on a ticket page adds the presence of
// other staff there. The session is re-checked at every heartbeat.

export const dynamic = "force-dynamic";

function refuse(status: number, title: string, extra: Record<string, string> = {}): Response {
  return Response.json(
    { type: "about:blank", title, status },
    {
      status,
      headers: {
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        ...extra,
      },
    },
  );
}

export async function GET(request: Request): Promise<Response> {
  const cookie = request.headers.get("cookie");
  const user = await userFromCookie(cookie);
  if (!mayStream(user)) return refuse(401, "Please sign in again.");
  const raw = new URL(request.url).searchParams.get("ticket");
  const ticketId = raw && /^[a-z0-9]{1,40}$/.test(raw) ? raw : null;
  const response = openLiveStream({ user, cookie, ticketId, signal: request.signal });
  return response ?? refuse(429, "Too many live update streams are open.", { "retry-after": "30" });
}
