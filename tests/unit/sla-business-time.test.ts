import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isOpenAt,
  type BusinessCalendarSpec,
  type CalendarWindow,
} from "@/lib/sla/business-time";

const MIN = 60_000;
const DAY = 1440 * MIN;
const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "Pacific/Chatham",
  "UTC",
];
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

// ---- The oracle: minute by minute, local parts from Intl (not luxon), no interval arithmetic ----

const formats = new Map<string, Intl.DateTimeFormat>();
function localParts(zone: string, t: number) {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      weekday: "short",
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const y = Number(p.year);
  const m = Number(p.month);
  const d = Number(p.day);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    previousDate: new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10),
    weekday: WEEKDAYS.indexOf(p.weekday ?? "") + 1,
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

/** Is the UTC minute starting at t open? (t minute aligned) */
function oracleOpen(cal: BusinessCalendarSpec, t: number): boolean {
  if (cal.alwaysOpen) return true;
  const { date, previousDate, weekday, minute } = localParts(cal.timeZone, t);
  const previousWeekday = weekday === 1 ? 7 : weekday - 1;
  const today =
    !cal.holidays.includes(date) &&
    cal.windows.some(
      (w) => w.day === weekday && minute >= w.start && (w.end > w.start ? minute < w.end : true),
    );
  const fromYesterday =
    !cal.holidays.includes(previousDate) &&
    cal.windows.some((w) => w.day === previousWeekday && w.end <= w.start && minute < w.end);
  return today || fromYesterday;
}

/** Openness of each minute of [from, from + minutes). */
function oracleWalk(cal: BusinessCalendarSpec, from: number, minutes: number): boolean[] {
  return Array.from({ length: minutes }, (_, i) => oracleOpen(cal, from + i * MIN));
}

// ---- Generators ----

/** Instants where the zone's UTC offset changes, 2021-2027 (only to aim the generated dates). */
function offsetChanges(zone: string): number[] {
  const offsetOf = (t: number) => {
    const p = localParts(zone, t);
    return Date.parse(`${p.date}T00:00:00Z`) + p.minute * MIN - t;
  };
  const out: number[] = [];
  for (let t = Date.UTC(2021, 0, 1); t < Date.UTC(2028, 0, 1); t += 6 * 3600_000) {
    if (offsetOf(t) !== offsetOf(t + 6 * 3600_000)) {
      let lo = t;
      let hi = t + 6 * 3600_000;
      while (hi - lo > MIN) {
        const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
        if (offsetOf(mid) === offsetOf(t)) lo = mid;
        else hi = mid;
      }
      out.push(hi);
    }
  }
  return out;
}
const CHANGES = Object.fromEntries(ZONES.map((z) => [z, offsetChanges(z)]));

const interestingMinute = fc.oneof(
  fc.integer({ min: 0, max: 1439 }),
  fc.constantFrom(0, 60, 90, 120, 135, 150, 165, 180, 210, 225, 240, 540, 720, 780, 1020, 1050),
);
const windowArb: fc.Arbitrary<CalendarWindow> = fc.record({
  day: fc.integer({ min: 1, max: 7 }),
  start: interestingMinute,
  end: fc.oneof(
    fc.integer({ min: 1, max: 1440 }),
    fc.constantFrom(60, 120, 150, 165, 180, 240, 720, 1020, 1050, 1440),
  ),
});
const weekdays = [1, 2, 3, 4, 5];
const PRESETS = {
  nineToFive: weekdays.map((day) => ({ day, start: 540, end: 1020 })),
  lunchBreak: weekdays.flatMap((day) => [
    { day, start: 540, end: 720 },
    { day, start: 780, end: 1050 },
  ]),
  nightShift: [...weekdays, 6].map((day) => ({ day, start: 1320, end: 360 })),
  fullDays: [1, 3, 5, 7].map((day) => ({ day, start: 0, end: 1440 })),
  aroundTheClock: weekdays.map((day) => ({ day, start: 120, end: 120 })),
} satisfies Record<string, CalendarWindow[]>;
const windowsArb = fc.oneof(
  fc.constantFrom(...Object.values(PRESETS)),
  fc.array(windowArb, { minLength: 1, maxLength: 8 }),
);

/** A zone, a minute-aligned start near one of its offset changes (or anywhere), a calendar. */
const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    nearChange: fc.boolean(),
    pick: fc.nat(),
    shiftMinutes: fc.integer({ min: -3 * 1440, max: 1440 }),
    anywhere: fc.integer({ min: Date.UTC(2021, 0, 1) / MIN, max: Date.UTC(2027, 11, 1) / MIN }),
    windows: windowsArb,
    holidayDays: fc.uniqueArray(fc.integer({ min: -1, max: 5 }), { maxLength: 3 }),
    alwaysOpen: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  .map((s) => {
    const changes = CHANGES[s.zone] ?? [];
    const from =
      s.nearChange && changes.length > 0
        ? changes[s.pick % changes.length]! + s.shiftMinutes * MIN
        : s.anywhere * MIN;
    const localDay = localParts(s.zone, from).date;
    const holidays = s.holidayDays.map((k) =>
      new Date(Date.parse(`${localDay}T00:00:00Z`) + k * DAY).toISOString().slice(0, 10),
    );
    const cal: BusinessCalendarSpec = {
      timeZone: s.zone,
      alwaysOpen: s.alwaysOpen,
      windows: s.windows,
      holidays,
    };
    return { cal, from };
  });

const WALK = 4 * 1440; // the oracle's horizon: 4 days of minutes

// ---- Against the oracle ----

describe("business time against a minute-by-minute oracle", () => {
  it("agrees on open minutes, open time between two instants and due times", () => {
    fc.assert(
      fc.property(
        scenario,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: WALK }),
        ({ cal, from }, fraction, toMinute) => {
          const open = oracleWalk(cal, from, WALK);
          // isOpenAt on a sample of minutes
          for (let i = 0; i < WALK; i += 97) {
            expect(isOpenAt(cal, new Date(from + i * MIN))).toBe(open[i]);
          }
          // businessMinutesBetween on [from, from + toMinute)
          const expected = open.slice(0, toMinute).filter(Boolean).length;
          expect(businessMinutesBetween(cal, new Date(from), new Date(from + toMinute * MIN))).toBe(
            expected,
          );
          // addBusinessMinutes: the end of the m-th open minute
          const openIndexes = open.flatMap((o, i) => (o ? [i] : []));
          const m = Math.floor(fraction * openIndexes.length);
          const due = addBusinessMinutes(cal, new Date(from), m).getTime();
          expect(due).toBe(m === 0 ? from : from + ((openIndexes[m - 1] ?? NaN) + 1) * MIN);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("counts the open part of a minute when the inputs are not minute aligned", () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 0, max: 2 * 1440 }),
        fc.integer({ min: 0, max: MIN - 1 }),
        fc.integer({ min: 0, max: MIN - 1 }),
        ({ cal, from }, minutes, skipMs, extraMs) => {
          const open = oracleWalk(cal, from, minutes + 1);
          const whole = open.slice(0, minutes).filter(Boolean).length * MIN;
          const expectedMs =
            minutes === 0
              ? open[0]
                ? extraMs - skipMs
                : 0
              : whole - (open[0] ? skipMs : 0) + (open[minutes] ? extraMs : 0);
          const a = new Date(from + skipMs);
          const b = new Date(from + minutes * MIN + extraMs);
          const got = businessMinutesBetween(cal, a, b);
          if (b.getTime() <= a.getTime()) expect(got).toBe(0);
          else expect(got * MIN).toBeCloseTo(Math.max(expectedMs, 0), 6);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// ---- Algebraic properties (no oracle: long targets) ----

const WEEK = 7 * 1440;
const target = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 600 }),
  fc.integer({ min: 0, max: 10 * WEEK }),
);

/**
 * A lower bound of a calendar's open time: its longest window in at least 50 weeks a year (a DST
 * change or the generated holidays can shorten a few). addBusinessMinutes gives up after 5
 * years, so the algebraic properties only take targets such a calendar reaches within 4 years
 * (a 1-minute week and a 10-week target is 1,900 years: the give-up case, an example below).
 */
function reachable(cal: BusinessCalendarSpec, minutes: number): boolean {
  if (cal.alwaysOpen || minutes === 0) return true;
  const longest = Math.max(
    0,
    ...cal.windows.map((w) => (w.end > w.start ? w.end - w.start : 1440 - w.start + w.end)),
  );
  return longest * 50 * 4 >= minutes;
}

describe("business time properties", () => {
  it("the open time up to a due time is exactly the target (0 and weeks included)", () => {
    fc.assert(
      fc.property(scenario, target, fc.integer({ min: 0, max: MIN - 1 }), (s, m, ms) => {
        fc.pre(reachable(s.cal, m));
        const from = new Date(s.from + ms);
        const due = addBusinessMinutes(s.cal, from, m);
        expect(due.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(businessMinutesBetween(s.cal, from, due)).toBe(m);
      }),
      { numRuns: 150 },
    );
  });

  it("is monotonic in the target and in the end of the range", () => {
    fc.assert(
      fc.property(scenario, target, target, ({ cal, from }, a, b) => {
        fc.pre(reachable(cal, Math.max(a, b)));
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const dueLo = addBusinessMinutes(cal, new Date(from), lo);
        const dueHi = addBusinessMinutes(cal, new Date(from), hi);
        expect(dueLo.getTime()).toBeLessThanOrEqual(dueHi.getTime());
        const t1 = new Date(from + lo * 2 * MIN);
        const t2 = new Date(from + hi * 2 * MIN);
        expect(businessMinutesBetween(cal, new Date(from), t1)).toBeLessThanOrEqual(
          businessMinutesBetween(cal, new Date(from), t2),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("is additive: adding a then b is adding a + b", () => {
    fc.assert(
      fc.property(scenario, target, target, ({ cal, from }, a, b) => {
        fc.pre(reachable(cal, a + b));
        const start = new Date(from);
        const stepwise = addBusinessMinutes(cal, addBusinessMinutes(cal, start, a), b);
        expect(stepwise.getTime()).toBe(addBusinessMinutes(cal, start, a + b).getTime());
        const mid = addBusinessMinutes(cal, start, a);
        const end = addBusinessMinutes(cal, start, a + b);
        expect(
          businessMinutesBetween(cal, start, mid) + businessMinutesBetween(cal, mid, end),
        ).toBe(businessMinutesBetween(cal, start, end));
      }),
      { numRuns: 100 },
    );
  });
});

// ---- Examples ----

const berlin = (windows: CalendarWindow[], holidays: string[] = []): BusinessCalendarSpec => ({
  timeZone: "Europe/Berlin",
  alwaysOpen: false,
  windows,
  holidays,
});
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("business time examples", () => {
  it("Friday 16:00 + 2 business hours on a 9–17 calendar is Monday 10:00", () => {
    const cal = berlin(PRESETS.nineToFive);
    // 2026-12-04 is a Friday; Berlin is UTC+1 in December.
    expect(iso(addBusinessMinutes(cal, at("2026-12-04T15:00:00Z"), 120))).toBe(
      "2026-12-07T09:00:00.000Z",
    );
    expect(
      businessMinutesBetween(cal, at("2026-12-04T15:00:00Z"), at("2026-12-07T09:00:00Z")),
    ).toBe(120);
  });

  it("crosses the Berlin spring-forward weekend: the clock keeps local hours", () => {
    const cal = berlin(PRESETS.nineToFive);
    // Friday 2026-03-27 16:00 CET (UTC+1) + 2 h = Monday 2026-03-30 10:00 CEST (UTC+2).
    expect(iso(addBusinessMinutes(cal, at("2026-03-27T15:00:00Z"), 120))).toBe(
      "2026-03-30T08:00:00.000Z",
    );
  });

  it("moves a window boundary in the spring gap forward and opens repeated autumn hours twice", () => {
    // Sunday 2026-03-29: 02:00 CET -> 03:00 CEST. A window 02:30–04:00 opens at 03:00 (01:00Z).
    const spring = berlin([{ day: 7, start: 150, end: 240 }]);
    expect(
      businessMinutesBetween(spring, at("2026-03-28T12:00:00Z"), at("2026-03-30T00:00:00Z")),
    ).toBe(60);
    expect(isOpenAt(spring, at("2026-03-29T00:59:00Z"))).toBe(false);
    expect(isOpenAt(spring, at("2026-03-29T01:00:00Z"))).toBe(true);
    // Sunday 2026-10-25: 03:00 CEST -> 02:00 CET. A window 00:00–02:30 is open 2.5 h + 0.5 h.
    const autumn = berlin([{ day: 7, start: 0, end: 150 }]);
    expect(
      businessMinutesBetween(autumn, at("2026-10-24T12:00:00Z"), at("2026-10-26T00:00:00Z")),
    ).toBe(180);
    expect(isOpenAt(autumn, at("2026-10-25T00:29:00Z"))).toBe(true); // 02:29 CEST
    expect(isOpenAt(autumn, at("2026-10-25T00:30:00Z"))).toBe(false); // 02:30 CEST
    expect(isOpenAt(autumn, at("2026-10-25T01:00:00Z"))).toBe(true); // 02:00 CET
    expect(isOpenAt(autumn, at("2026-10-25T01:30:00Z"))).toBe(false); // 02:30 CET
  });

  it("skips lunch breaks and holidays; a holiday closes the night window that starts on it", () => {
    const lunch = berlin(PRESETS.lunchBreak, ["2026-12-07"]);
    // Friday 11:00 + 2 h: 11:00–12:00, 13:00–14:00 local.
    expect(iso(addBusinessMinutes(lunch, at("2026-12-04T10:00:00Z"), 120))).toBe(
      "2026-12-04T13:00:00.000Z",
    );
    // Friday 17:00 + 1 h: 17:00–17:30, Monday is a holiday, so Tuesday 09:30 local.
    expect(iso(addBusinessMinutes(lunch, at("2026-12-04T16:00:00Z"), 60))).toBe(
      "2026-12-08T08:30:00.000Z",
    );
    const night = berlin([{ day: 1, start: 1320, end: 360 }], ["2026-12-07"]);
    expect(
      businessMinutesBetween(night, at("2026-12-06T00:00:00Z"), at("2026-12-16T00:00:00Z")),
    ).toBe(480);
    expect(isOpenAt(night, at("2026-12-15T03:00:00Z"))).toBe(true); // Tue 04:00, Monday's shift
  });

  it("handles half-hour offsets and half-hour DST (Lord Howe, Kolkata)", () => {
    const cal = (timeZone: string): BusinessCalendarSpec => ({
      timeZone,
      alwaysOpen: false,
      windows: PRESETS.nineToFive,
      holidays: [],
    });
    // Kolkata is UTC+5:30: Monday 09:00 local is 03:30Z.
    expect(iso(addBusinessMinutes(cal("Asia/Kolkata"), at("2026-12-07T00:00:00Z"), 1))).toBe(
      "2026-12-07T03:31:00.000Z",
    );
    // Lord Howe: +10:30 in winter, +11 in summer (DST since 2026-10-04). Monday 09:00 = 22:00Z Sunday.
    expect(iso(addBusinessMinutes(cal("Australia/Lord_Howe"), at("2026-12-06T12:00:00Z"), 0))).toBe(
      "2026-12-06T12:00:00.000Z",
    );
    expect(
      iso(addBusinessMinutes(cal("Australia/Lord_Howe"), at("2026-12-06T12:00:00Z"), 60)),
    ).toBe("2026-12-06T23:00:00.000Z");
  });

  it("does plain arithmetic 24/7, refuses calendars without open time and bad targets", () => {
    const always: BusinessCalendarSpec = {
      timeZone: "UTC",
      alwaysOpen: true,
      windows: [],
      holidays: [],
    };
    expect(iso(addBusinessMinutes(always, at("2026-12-04T15:00:30Z"), 90))).toBe(
      "2026-12-04T16:30:30.000Z",
    );
    expect(
      businessMinutesBetween(always, at("2026-12-04T15:00:00Z"), at("2026-12-04T15:00:30Z")),
    ).toBe(0.5);
    const closed = berlin([]);
    expect(() => addBusinessMinutes(closed, at("2026-12-04T15:00:00Z"), 1)).toThrow(
      /no opening hours/,
    );
    expect(addBusinessMinutes(closed, at("2026-12-04T15:00:00Z"), 0).getTime()).toBe(
      at("2026-12-04T15:00:00Z").getTime(),
    );
    expect(
      businessMinutesBetween(closed, at("2026-12-04T15:00:00Z"), at("2026-12-14T15:00:00Z")),
    ).toBe(0);
    expect(() => addBusinessMinutes(always, at("2026-12-04T15:00:00Z"), -1)).toThrow(/>= 0/);
    // One minute a week (Monday 00:00) and a 10-week target: 1,900 years, past the give-up span.
    const minuteAWeek = berlin([{ day: 1, start: 0, end: 1 }]);
    expect(() => addBusinessMinutes(minuteAWeek, at("2021-01-01T00:00:00Z"), 10 * WEEK)).toThrow(
      /no open time left/,
    );
    expect(iso(addBusinessMinutes(minuteAWeek, at("2021-01-01T00:00:00Z"), 2))).toBe(
      "2021-01-10T23:01:00.000Z",
    );
    expect(() =>
      isOpenAt(
        { ...closed, timeZone: "Mars/Olympus", windows: PRESETS.nineToFive },
        at("2026-12-04T15:00:00Z"),
      ),
    ).toThrow(/time zone/);
  });

  // Its speed is measured by `npm run bench -- --sla` (docs/benchmarks.md), not here.
  it("reaches a 10-week target on a 9–17 calendar", () => {
    const cal = berlin(PRESETS.nineToFive);
    const from = at("2026-01-05T08:00:00Z");
    // 10 weeks of minutes = 210 eight-hour days = 42 working weeks
    expect(businessMinutesBetween(cal, from, addBusinessMinutes(cal, from, 10 * WEEK))).toBe(
      10 * WEEK,
    );
  });
});
