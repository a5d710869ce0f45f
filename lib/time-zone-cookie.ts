/** The browser's IANA time zone, written by the browser itself; read by lib/dates-server.ts. */
export const TIME_ZONE_COOKIE = "tessera-tz";
