import { describe, expect, it } from "vitest";
import {
  formatDay,
  formatExact,
  formatRelative,
  localeFrom,
  plural,
  timeText,
  validTimeZone,
  type DateContext,
} from "@/lib/dates";
import { listQueryString, viewQueryString } from "@/lib/tickets/list-query";

const NOW = Date.parse("2026-12-03T15:00:00.000Z");
const gb: DateContext = { timeZone: "Europe/London", locale: "en-GB", now: NOW };
const ny: DateContext = { timeZone: "America/New_York", locale: "en-US", now: NOW };
const ago = (ms: number) => new Date(NOW - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("relative times", () => {
  it("reads like a person: now, minutes, hours, yesterday, days, then a date", () => {
    expect(formatRelative(ago(20_000), gb)).toBe("now");
    expect(formatRelative(ago(5 * MIN), gb)).toBe("5 min ago");
    expect(formatRelative(ago(2 * HOUR + 10 * MIN), gb)).toBe("2 hr ago");
    expect(formatRelative(ago(DAY + HOUR), gb)).toBe("yesterday");
    expect(formatRelative(ago(3 * DAY), gb)).toBe("3 days ago");
    expect(formatRelative(ago(30 * DAY), gb)).toBe("3 Nov");
    expect(formatRelative(new Date("2025-11-20T12:00:00Z"), gb)).toBe("20 Nov 2025");
    expect(formatRelative(new Date(NOW + 2 * HOUR), gb)).toBe("in 2 hr");
  });

  it("speaks the viewer's locale", () => {
    expect(formatRelative(ago(2 * HOUR), { ...gb, locale: "de-DE" })).toBe("vor 2 Std.");
    expect(formatRelative(ago(30 * DAY), ny)).toBe("Nov 3");
  });
});

describe("exact times", () => {
  it("are in the viewer's time zone, with the zone named", () => {
    const t = new Date("2026-12-03T23:30:00.000Z");
    expect(formatExact(t, gb)).toBe("3 Dec 2026, 23:30 GMT");
    expect(formatExact(t, ny)).toBe("Dec 3, 2026, 06:30 PM EST");
    expect(formatExact(t, { ...gb, timeZone: "Asia/Tokyo" })).toBe("4 Dec 2026, 08:30 GMT+9");
  });

  it("a <time> gets the ISO value, the relative text and the exact time as its title", () => {
    expect(timeText(ago(2 * HOUR), gb)).toEqual({
      iso: "2026-12-03T13:00:00.000Z",
      text: "2 hr ago",
      title: "3 Dec 2026, 13:00 GMT",
    });
  });

  it("a date filter's day is that calendar day in any zone", () => {
    expect(formatDay("2026-12-01", { ...gb, timeZone: "Pacific/Kiritimati" })).toBe("1 Dec 2026");
    expect(formatDay("2026-12-01", { ...ny, timeZone: "Pacific/Pago_Pago" })).toBe("Dec 1, 2026");
  });
});

describe("untrusted zone and language", () => {
  it("accepts real IANA zones only", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(validTimeZone("../../etc/passwd")).toBeNull();
    expect(validTimeZone("<script>")).toBeNull();
    expect(validTimeZone("x".repeat(100))).toBeNull();
    expect(validTimeZone(undefined)).toBeNull();
  });

  it("takes the first supported language of Accept-Language", () => {
    expect(localeFrom("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeFrom("x-bogus;q=1, fr-CA")).toBe("fr-CA");
    expect(localeFrom("*")).toBeNull();
    expect(localeFrom("")).toBeNull();
  });
});

describe("counts", () => {
  it("never says 1 tickets", () => {
    expect(plural(0, "ticket")).toBe("0 tickets");
    expect(plural(1, "ticket")).toBe("1 ticket");
    expect(plural(2, "ticket")).toBe("2 tickets");
    expect(plural(1, "reply", "replies")).toBe("1 reply");
    expect(plural(12_345, "reply", "replies")).toBe("12,345 replies");
    expect(plural(1000, "ticket", "tickets", { capped: true })).toBe("1,000+ tickets");
    expect(plural(1, "ticket", "tickets", { capped: true })).toBe("1+ tickets");
    expect(plural(3599, "second", "seconds", { grouping: false })).toBe("3599 seconds");
  });
});

describe("list query strings (saved views)", () => {
  it("are canonical: fixed key order, no page, what does not parse dropped", () => {
    expect(viewQueryString("?sort=updated&queue=open&cursor=abc&limit=10&x=1")).toBe(
      "queue=open&sort=updated",
    );
    expect(viewQueryString("queue=nope&priority=HIGH&priority=LOW&density=tiny")).toBe(
      "priority=HIGH%2CLOW",
    );
    expect(listQueryString({ queue: "mine", density: "comfortable" })).toBe(
      "queue=mine&density=comfortable",
    );
  });
});
