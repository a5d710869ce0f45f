// The one date and count formatter of the app (issue 11 §6). Pure and client-safe: the server
// renders times in the viewer's time zone and locale (lib/dates-server.ts reads them from the
// request) and hands client components finished strings, so server HTML and hydration agree.
//   - relative: "5 min. ago", "yesterday", then a plain date after a week; the exact time, with
//     its zone, is the <time> element's title (components/ui/time.tsx).
//   - exact: "3 Dec 2026, 14:05 CET"; day: "3 Dec 2026" (date filters, day-only values).
//   - plural: "1 ticket", "2 tickets", "1,000+ tickets" (never "1 tickets").

export type DateContext = {
  /** IANA zone, e.g. "Europe/Berlin"; "UTC" when the browser has not told us yet. */
  timeZone: string;
  /** BCP 47 tag, e.g. "en-GB". */
  locale: string;
  /** "Now" in ms, fixed per request so one page never disagrees with itself. */
  now: number;
};

export const FALLBACK_LOCALE = "en-GB";
export const FALLBACK_TIME_ZONE = "UTC";

/** The zone if this runtime knows it (cookie values are untrusted text), else null. */
export function validTimeZone(value: string | null | undefined): string | null {
  if (!value || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The first supported locale of an Accept-Language header (or a single tag), else null. */
export function localeFrom(header: string | null | undefined): string | null {
  if (!header) return null;
  const tags = header
    .slice(0, 256)
    .split(",")
    .map((part) => part.split(";")[0]!.trim())
    .filter((tag) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(tag));
  for (const tag of tags) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // a malformed tag: try the next one
    }
  }
  return null;
}

const toDate = (value: Date | string | number) => (value instanceof Date ? value : new Date(value));

/** "YYYY-MM-DDTHH:mm:ss.sssZ" for <time dateTime>. */
export const isoDate = (value: Date | string | number) => toDate(value).toISOString();

// Intl formatters are costly to build: one per (kind, locale, zone).
const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T {
  let value = cache.get(key) as T | undefined;
  if (!value) {
    value = make();
    if (cache.size > 500) cache.clear();
    cache.set(key, value);
  }
  return value;
}

const EXACT: Intl.DateTimeFormatOptions = {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
};

/** "3 Dec 2026, 14:05 CET" in the viewer's zone and locale. */
export function formatExact(value: Date | string | number, ctx: DateContext): string {
  const fmt = cached(
    `exact|${ctx.locale}|${ctx.timeZone}`,
    () => new Intl.DateTimeFormat(ctx.locale, { ...EXACT, timeZone: ctx.timeZone }),
  );
  return fmt.format(toDate(value));
}

/**
 * "3 Dec 2026": a day. A "YYYY-MM-DD" string is a calendar day as typed (a date filter), shown
 * as that day whatever the zone; a Date is shown as its day in the viewer's zone.
 */
export function formatDay(value: Date | string, ctx: DateContext, withYear = true): string {
  const day = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const timeZone = day ? "UTC" : ctx.timeZone;
  const fmt = cached(
    `day|${withYear}|${ctx.locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(ctx.locale, {
        day: "numeric",
        month: "short",
        ...(withYear && { year: "numeric" }),
        timeZone,
      }),
  );
  return fmt.format(day ? new Date(`${value}T00:00:00Z`) : toDate(value));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min. ago", "2 hr. ago", "yesterday", "3 days ago"; a date after a week. */
export function formatRelative(value: Date | string | number, ctx: DateContext): string {
  const date = toDate(value);
  const diff = date.getTime() - ctx.now;
  const abs = Math.abs(diff);
  const rtf = cached(
    `rel|${ctx.locale}`,
    () => new Intl.RelativeTimeFormat(ctx.locale, { numeric: "auto", style: "short" }),
  );
  if (abs < MINUTE) return rtf.format(0, "second");
  if (abs < HOUR) return rtf.format(Math.trunc(diff / MINUTE), "minute");
  if (abs < DAY) return rtf.format(Math.trunc(diff / HOUR), "hour");
  if (abs < 7 * DAY) return rtf.format(Math.trunc(diff / DAY), "day");
  const sameYear = formatYear(date, ctx) === formatYear(new Date(ctx.now), ctx);
  return formatDay(date, ctx, !sameYear);
}

function formatYear(date: Date, ctx: DateContext) {
  return cached(
    `year|${ctx.timeZone}`,
    () => new Intl.DateTimeFormat("en", { year: "numeric", timeZone: ctx.timeZone }),
  ).format(date);
}

/** What a <time> element shows: machine value, visible text, and the exact time on hover. */
export type TimeText = { iso: string; text: string; title: string };

export function timeText(
  value: Date | string | number,
  ctx: DateContext,
  mode: "relative" | "exact" = "relative",
): TimeText {
  const exact = formatExact(value, ctx);
  return {
    iso: isoDate(value),
    text: mode === "relative" ? formatRelative(value, ctx) : exact,
    title: exact,
  };
}

/** "2026-11-27 21:49:13 UTC": one unambiguous clock for an audit trail read across time zones. */
export function formatUtc(value: Date | string | null | undefined, withSeconds = true): string {
  if (!value) return "—";
  const iso = toDate(value).toISOString();
  return `${iso.slice(0, withSeconds ? 19 : 16).replace("T", " ")} UTC`;
}

/** A count in the locale's digits. */
export function formatCount(count: number, locale = FALLBACK_LOCALE): string {
  return cached(`num|${locale}`, () => new Intl.NumberFormat(locale)).format(count);
}

const ENGLISH_PLURALS = new Intl.PluralRules("en");

/**
 * "1 ticket", "3 tickets", "1,000+ tickets" (`capped`: at least that many). `plural` defaults to
 * `one` + "s". English nouns: the plural rule picks the form, the locale only the digits.
 */
export function plural(
  count: number,
  one: string,
  other = `${one}s`,
  options: { locale?: string; capped?: boolean; grouping?: boolean } = {},
): string {
  const form = !options.capped && ENGLISH_PLURALS.select(count) === "one" ? one : other;
  const digits = options.grouping === false ? String(count) : formatCount(count, options.locale);
  return `${digits}${options.capped ? "+" : ""} ${form}`;
}
