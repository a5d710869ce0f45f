import "server-only";
import { plural } from "@/lib/dates";

// Auth.js answers a refused credentials sign-in with a redirect to /login?error=...&code=...;
// for a throttled attempt (code rate_limited_N, set by lib/auth/sign-in.ts) the HTTP client gets
// 429 Too Many Requests with Retry-After instead.

function retryAfterFrom(url: string | null | undefined): number | null {
  if (!url) return null;
  try {
    const code = new URL(url, "http://localhost").searchParams.get("code") ?? "";
    const match = /^rate_limited_(\d+)$/.exec(code);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function tooManyRequests(retryAfterSeconds: number): Response {
  return Response.json(
    {
      error: "rate_limited",
      message: `Too many attempts. Try again in ${plural(retryAfterSeconds, "second", "seconds", { grouping: false })}.`,
    },
    {
      status: 429,
      headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" },
    },
  );
}

export function withThrottleStatus<R extends Request>(
  handler: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request: R) => {
    const response = await handler(request);
    let seconds = retryAfterFrom(response.headers.get("location"));
    if (seconds === null && response.headers.get("content-type")?.includes("application/json")) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { url?: string } | null;
      seconds = retryAfterFrom(body?.url);
    }
    return seconds === null ? response : tooManyRequests(seconds);
  };
}
