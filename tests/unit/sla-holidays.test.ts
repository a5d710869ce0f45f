import { describe, expect, it } from "vitest";
import { countryHolidays, parseIcalHolidays } from "@/lib/sla/holidays";

// A real-world shaped calendar export: a yearly all-day holiday, a multi-day closure, a timed
// meeting (not a holiday), folded lines and a time zone block.
const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Example Corp//Holidays//EN",
  "CALSCALE:GREGORIAN",
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Berlin",
  "BEGIN:STANDARD",
  "DTSTART:19701025T030000",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
  "BEGIN:VEVENT",
  "UID:new-year@example.com",
  "DTSTAMP:20250101T000000Z",
  "DTSTART;VALUE=DATE:20200101",
  "DTEND;VALUE=DATE:20200102",
  "RRULE:FREQ=YEARLY",
  "SUMMARY:New Year's Day",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:closure@example.com",
  "DTSTAMP:20250101T000000Z",
  "DTSTART;VALUE=DATE:20261224",
  "DTEND;VALUE=DATE:20261227",
  "SUMMARY:Office closed betwe",
  " en the holidays",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:meeting@example.com",
  "DTSTAMP:20250101T000000Z",
  "DTSTART;TZID=Europe/Berlin:20261210T090000",
  "DTEND;TZID=Europe/Berlin:20261210T100000",
  "SUMMARY:Team meeting",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

describe("iCal holidays", () => {
  it("takes all-day events, expands yearly ones within the years, skips timed events", () => {
    expect(parseIcalHolidays(ICS, { from: 2026, to: 2027 })).toEqual([
      { date: "2026-01-01", name: "New Year's Day" },
      { date: "2026-12-24", name: "Office closed between the holidays" },
      { date: "2026-12-25", name: "Office closed between the holidays" },
      { date: "2026-12-26", name: "Office closed between the holidays" },
      { date: "2027-01-01", name: "New Year's Day" },
    ]);
    expect(parseIcalHolidays(ICS, { from: 2030, to: 2030 })).toEqual([
      { date: "2030-01-01", name: "New Year's Day" },
    ]);
  });

  it("refuses what is not a calendar, too many events and too large a file", () => {
    expect(() => parseIcalHolidays("Name,Date\nXmas,2026-12-25", { from: 2026, to: 2026 })).toThrow(
      /not an iCal/,
    );
    expect(() =>
      parseIcalHolidays("BEGIN:VCALENDAR\r\nthis is: not\r\nvalid", { from: 2026, to: 2026 }),
    ).toThrow(/not an iCal/);
    const event = (i: number) =>
      `BEGIN:VEVENT\r\nUID:${i}\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:x\r\nEND:VEVENT`;
    const many = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${Array.from({ length: 1001 }, (_, i) => event(i)).join("\r\n")}\r\nEND:VCALENDAR`;
    expect(() => parseIcalHolidays(many, { from: 2026, to: 2026 })).toThrow(/more than 1000/);
    const big = `BEGIN:VCALENDAR\r\nX-PAD:${"a".repeat(1_000_001)}\r\nEND:VCALENDAR`;
    expect(() => parseIcalHolidays(big, { from: 2026, to: 2026 })).toThrow(/1 MB/);
  });
});

describe("country holidays", () => {
  it("lists public holidays only, by region", () => {
    const de = countryHolidays("DE", undefined, 2026);
    expect(de).toContainEqual({ date: "2026-12-25", name: "1. Weihnachtstag" });
    expect(de.map((h) => h.date)).not.toContain("2026-01-06"); // Epiphany: only some states
    const bavaria = countryHolidays("de", "by", 2026);
    expect(bavaria.map((h) => h.date)).toContain("2026-01-06");
    expect(bavaria.length).toBeGreaterThan(de.length);
    // Observances (e.g. Valentine's Day in the US) are not closed days.
    expect(countryHolidays("US", undefined, 2026).map((h) => h.date)).not.toContain("2026-02-14");
  });

  it("refuses unknown countries and regions", () => {
    expect(() => countryHolidays("XX", undefined, 2026)).toThrow(/Unknown country/);
    expect(() => countryHolidays("DE", "ZZ", 2026)).toThrow(/Unknown region/);
  });
});
