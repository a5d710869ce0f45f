import type { Logger } from "pino";

// Server errors that escape a page, layout or route handler (server actions catch their own in
// lib/action.ts). Next.js answers the browser with a generic error carrying only `digest`, which
// the error page shows as the reference; this line ties that digest to the request id the
// middleware set, the route and the real error, so support can find it from what the person
// reads out. Headers other than the request id are never logged (cookies, authorization).

export type RequestErrorRequest = {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
};
export type RequestErrorContext = { routePath?: string; routeType?: string };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function reportRequestError(
  log: Logger,
  error: unknown,
  request: RequestErrorRequest,
  context: RequestErrorContext,
): void {
  const digest =
    typeof error === "object" && error !== null && "digest" in error
      ? String((error as { digest: unknown }).digest)
      : undefined;
  log.error(
    {
      event: "request_error",
      digest,
      requestId: first(request.headers["x-request-id"])?.slice(0, 64),
      method: request.method,
      // The path without its query string: search terms and filters stay out of the logs.
      path: request.path.split("?")[0],
      routePath: context.routePath,
      routeType: context.routeType,
      err: error,
    },
    "request failed",
  );
}
