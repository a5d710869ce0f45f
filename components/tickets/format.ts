// Date display for ticket pages. Rendered on the server in UTC so that server HTML and client
// hydration always agree (no locale or time-zone drift between them).
const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDateTime(date: Date | string): string {
  return `${DATE_TIME.format(new Date(date))} UTC`;
}

/** "YYYY-MM-DDTHH:mm:ssZ" for <time dateTime>. */
export const isoDate = (date: Date | string) => new Date(date).toISOString();
