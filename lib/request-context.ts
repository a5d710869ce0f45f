import "server-only";
import { headers } from "next/headers";

export type RequestContext = { ip: string | null; userAgent: string | null; requestId: string };

const MAX_UA = 512;
// Ours are UUIDs; tests set readable ids of the same alphabet.
const REQUEST_ID_SHAPE = /^[A-Za-z0-9._-]{1,64}$/;

// One IPv4 or IPv6 address, nothing else.
const IP_SHAPE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/i;

/**
 * Where a request came from, for audit and logs. These headers are facts, not the client's
 * words: scripts/server.ts (the only supported way to run the app) replaces X-Forwarded-For with
 * the client address it resolved from the socket and TRUSTED_PROXIES, and X-Request-Id with a
 * fresh UUID, before Next sees the request; the middleware sets a fresh X-Request-Id again.
 * A client's own request id (X-Client-Request-Id) is for logs only and never audited.
 */
export function requestContextFrom(h: Headers): RequestContext {
  const forwarded = h.get("x-forwarded-for")?.trim();
  const ip = forwarded && forwarded.length <= 45 && IP_SHAPE.test(forwarded) ? forwarded : null;
  const requestId = h.get("x-request-id");
  return {
    ip,
    userAgent: h.get("user-agent")?.slice(0, MAX_UA) ?? null,
    requestId: requestId && REQUEST_ID_SHAPE.test(requestId) ? requestId : crypto.randomUUID(),
  };
}

export async function getRequestContext(): Promise<RequestContext> {
  return requestContextFrom(await headers());
}
