import "server-only";
// The viewer's date context for server rendering: the time zone the browser reported in the
// TIME_ZONE_COOKIE (components/app-shell/time-zone-cookie.tsx) and the first supported language
// of Accept-Language. Both are untrusted text: validated, with UTC / en-GB as the fallback.
import { cookies, headers } from "next/headers";
import { cache } from "react";
import {
  FALLBACK_LOCALE,
  FALLBACK_TIME_ZONE,
  localeFrom,
  validTimeZone,
  type DateContext,
} from "@/lib/dates";
import { TIME_ZONE_COOKIE } from "@/lib/time-zone-cookie";

/** Once per request (React cache): one "now" for the whole page. */
export const getDateContext = cache(async function getDateContext(): Promise<DateContext> {
  const [jar, head] = await Promise.all([cookies(), headers()]);
  const raw = jar.get(TIME_ZONE_COOKIE)?.value;
  let zone: string | null = null;
  try {
    zone = validTimeZone(raw ? decodeURIComponent(raw) : null);
  } catch {
    zone = null; // a malformed escape
  }
  return {
    timeZone: zone ?? FALLBACK_TIME_ZONE,
    locale: localeFrom(head.get("accept-language")) ?? FALLBACK_LOCALE,
    now: Date.now(),
  };
});
