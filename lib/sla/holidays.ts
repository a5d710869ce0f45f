import "server-only";
// Holidays for a business calendar from an iCal file (ical.js) or a country's public holidays
// (date-holidays). Both give local dates (YYYY-MM-DD) with a name; the caller stores them.
import Holidays from "date-holidays";
import ICAL from "ical.js";
import { ValidationError } from "@/lib/errors";

export type HolidayEntry = { date: string; name: string };

export const MAX_ICAL_BYTES = 1_000_000;
export const MAX_ICAL_EVENTS = 1_000;
/** Days one import may produce (a long all-day event or many yearly rules). */
const MAX_DAYS = 5_000;
/** Longest all-day event taken as holidays (a multi-week "event" is not a holiday). */
const MAX_EVENT_DAYS = 31;

const NOT_ICAL = "This is not an iCal calendar (.ics) file.";

const isoDay = (t: ICAL.Time) =>
  `${String(t.year).padStart(4, "0")}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`;

const cleanName = (name: unknown) =>
  (typeof name === "string" ? name : "")
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .trim()
    .slice(0, 80) || "Holiday";

/**
 * The all-day events of an iCal text within the years (inclusive), one entry per day; yearly (or
 * other) recurrences are expanded within the years. Events with a time of day are skipped.
 */
export function parseIcalHolidays(
  text: string,
  years: { from: number; to: number },
): HolidayEntry[] {
  if (Buffer.byteLength(text, "utf8") > MAX_ICAL_BYTES) {
    throw new ValidationError("The file is larger than 1 MB.");
  }
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw new ValidationError(NOT_ICAL);
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch {
    throw new ValidationError(NOT_ICAL);
  }
  if (root.name !== "vcalendar") throw new ValidationError(NOT_ICAL);
  const events = root.getAllSubcomponents("vevent");
  if (events.length > MAX_ICAL_EVENTS) {
    throw new ValidationError(`The file has more than ${MAX_ICAL_EVENTS} events.`);
  }
  const out = new Map<string, string>();
  const add = (date: string, name: string) => {
    if (Number(date.slice(0, 4)) < years.from || Number(date.slice(0, 4)) > years.to) return;
    if (!out.has(date)) out.set(date, name);
    if (out.size > MAX_DAYS) throw new ValidationError("The file has too many holidays.");
  };
  for (const component of events) {
    let event: ICAL.Event;
    try {
      event = new ICAL.Event(component);
    } catch {
      continue;
    }
    const start = event.startDate;
    if (!start || !start.isDate) continue;
    const name = cleanName(event.summary);
    const end = event.endDate;
    const days = end ? Math.max(1, Math.round(end.subtractDate(start).toSeconds() / 86_400)) : 1;
    if (days > MAX_EVENT_DAYS) continue;
    const addDays = (first: ICAL.Time) => {
      for (let i = 0; i < days; i++) {
        const day = first.clone();
        day.adjust(i, 0, 0, 0);
        add(isoDay(day), name);
      }
    };
    if (!event.isRecurring()) {
      addDays(start);
      continue;
    }
    const it = event.iterator();
    for (let n = 0, next = it.next(); next && n < 10_000; n++, next = it.next()) {
      if (next.year > years.to) break;
      if (next.year >= years.from - 1) addDays(next);
    }
  }
  return [...out.entries()]
    .map(([date, name]) => ({ date, name }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The public holidays (type "public" only) of a country, and region if given, in a year. */
export function countryHolidays(
  country: string,
  region: string | undefined,
  year: number,
): HolidayEntry[] {
  const code = country.toUpperCase();
  const all = new Holidays();
  if (!/^[A-Z]{2}$/.test(code) || !(code in all.getCountries())) {
    throw new ValidationError(`Unknown country code: ${country}.`);
  }
  const regionCode = region?.toUpperCase();
  if (regionCode && !(regionCode in (all.getStates(code) ?? {}))) {
    throw new ValidationError(`Unknown region ${region} of ${code}.`);
  }
  const hd = regionCode ? new Holidays(code, regionCode) : new Holidays(code);
  const out = new Map<string, string>();
  for (const h of hd.getHolidays(year)) {
    if (h.type !== "public") continue;
    const date = h.date.slice(0, 10);
    if (!out.has(date)) out.set(date, cleanName(h.name));
  }
  return [...out.entries()]
    .map(([date, name]) => ({ date, name }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
