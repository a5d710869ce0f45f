import { authorizeRequest } from "@/lib/action";
import { problemResponse, type ProblemStatus } from "@/lib/api/problem";
import { RateLimitedError } from "@/lib/errors";
import { PresenceSchema } from "@/lib/live/events";
import { publishPresence, ticketVisible } from "@/lib/live/server";
import { requestLogger } from "@/lib/logger";
import { enforceUserLimit, ThrottleUnavailableError } from "@/lib/rate-limit";
import { requestContextFrom } from "@/lib/request-context";
import { isSameOriginRequest } from "@/lib/security/headers";
import { UnauthenticatedError } from "@/lib/errors";

// Presence ("Ada is replying…", docs/decisions/028-live-updates.md): a staff member's heartbeat
// on a ticket they may read, same origin only, rate limited, passed to every instance. Requesters
// may neither send nor see it ("ticket:note": those who see internal notes).

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const context = requestContextFrom(request.headers);
  const problem = (status: ProblemStatus, detail: string, headers?: Record<string, string>) =>
    problemResponse(status, context.requestId, { detail, headers });
  const url = new URL(request.url);
  if (!isSameOriginRequest(request.headers, url, process.env.AUTH_URL || undefined)) {
    return problem(403, "Cross-site request refused.");
  }
  const access = await authorizeRequest("live.presence", "ticket:note", context);
  if ("refusal" in access) {
    const signedOut = access.refusal instanceof UnauthenticatedError;
    return problem(signedOut ? 401 : 403, signedOut ? "Please sign in again." : "Forbidden.");
  }
  const { user } = access;
  const parsed = PresenceSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return problem(400, "Not a presence heartbeat.");
  try {
    await enforceUserLimit("livePresence", user.id, { failOpen: false });
    // Unknown and not-yours look the same.
    if (!(await ticketVisible(user, parsed.data.ticketId))) return problem(404, "Not found.");
    await publishPresence(user, parsed.data.ticketId, parsed.data.state);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return problem(429, "Too many heartbeats.", {
        "retry-after": String(error.retryAfterSeconds),
      });
    }
    if (error instanceof ThrottleUnavailableError) return problem(503, error.message);
    requestLogger(context.requestId, { route: "live.presence" }).error({ err: error }, "failed");
    return problem(500, "The heartbeat failed.");
  }
}
