import "server-only";
import { headers } from "next/headers";

export type RequestContext = { ip: string | null; userAgent: string | null; requestId: string };

const MAX_UA = 512;

/** Where a request came from, for audit and logs. The middleware sets x-request-id. */
export function requestContextFrom(h: Headers): RequestContext {
  // The first x-forwarded-for hop is the client as seen by the nearest proxy (see SECURITY.md:
  // deploy behind a proxy that overwrites this header).
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || h.get("x-real-ip") || null;
  return {
    ip: ip ? ip.slice(0, 64) : null,
    userAgent: h.get("user-agent")?.slice(0, MAX_UA) ?? null,
    requestId: h.get("x-request-id")?.slice(0, 64) || crypto.randomUUID(),
  };
}

export async function getRequestContext(): Promise<RequestContext> {
  return requestContextFrom(await headers());
}
