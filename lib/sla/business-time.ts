// Business time over a calendar (ADR 024): pure functions, no database, zone rules from luxon.
//
// Definition (the one the tests' minute-by-minute oracle uses): an instant is open when its local
// wall-clock time (in the calendar's zone) lies in a window of its local day, or in the part after
// midnight of the previous local day's midnight-crossing window, and the day the window starts on
// is not a holiday. Overlapping windows count once. Consequences at DST changes:
// - Spring forward: wall times in the gap never happen, so a window boundary in the gap moves
//   forward to the first existing instant (a window 02:30–04:00 on a 02:00→03:00 day opens at 03:00;
//   a window wholly inside the gap is closed that day).
// - Autumn back: the repeated wall times are open on both passes when a window covers them. A
//   window that starts in the overlap opens at the earlier offset; one that ends in it closes at
//   the earlier offset and is open again for the repeated part up to its end (09:00–17:00 windows
//   are never affected; a 00:00–02:30 window on a 03:00→02:00 day is open 2.5 h + 0.5 h).
// Implementation: the zone's UTC offset is piecewise constant; each window's wall range maps onto
// each constant-offset segment by plain arithmetic, so the loops run over local days, not minutes.

import { IANAZone } from "luxon";

export type CalendarWindow = {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  day: number;
  /** Minute of the local day, 0..1439. */
  start: number;
  /** 1..1440; end <= start crosses midnight into the next day (the window belongs to its start day). */
  end: number;
};

export type BusinessCalendarSpec = {
  timeZone: string;
  alwaysOpen: boolean;
  windows: CalendarWindow[];
  /** Local dates YYYY-MM-DD: a window starting on such a day is closed. */
  holidays: string[];
};

const MIN = 60_000;
const DAY = 1440 * MIN;
/** Offsets are probed at this step; real zones never change offset twice within it. */
const PROBE = DAY / 2;
/**
 * addBusinessMinutes gives up after this span: a due time further out is no promise anyone keeps
 * (a calendar open a minute a week and a 10-week target would be 1,900 years away). Searching it
 * costs tens of milliseconds, inside the transaction of the change that asked (400 years took
 * over 5 s under load and broke the transaction's time limit).
 */
const GIVE_UP = 5 * 366 * DAY;

type Interval = { start: number; end: number };
type Segment = { start: number; end: number; offset: number };
type Prepared = { zone: IANAZone; byDay: CalendarWindow[][]; holidays: Set<number> };

function prepare(cal: BusinessCalendarSpec): Prepared {
  const zone = IANAZone.create(cal.timeZone);
  if (!zone.isValid) throw new Error(`Unknown time zone: ${cal.timeZone}`);
  const byDay: CalendarWindow[][] = [[], [], [], [], [], [], [], []];
  for (const w of cal.windows) {
    const ok =
      Number.isInteger(w.day) &&
      w.day >= 1 &&
      w.day <= 7 &&
      Number.isInteger(w.start) &&
      w.start >= 0 &&
      w.start <= 1439 &&
      Number.isInteger(w.end) &&
      w.end >= 1 &&
      w.end <= 1440;
    if (!ok) throw new Error(`Invalid calendar window: ${JSON.stringify(w)}`);
    byDay[w.day]?.push(w);
  }
  const holidays = new Set<number>();
  for (const h of cal.holidays) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(h);
    if (!m) throw new Error(`Invalid holiday date: ${h}`);
    holidays.add(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY);
  }
  return { zone, byDay, holidays };
}

const offsetMs = (zone: IANAZone, t: number) => zone.offset(t) * MIN;

/** Offset changes of one zone in one block of time [start, start + BLOCK): zone rules, memoized. */
type Block = { offset: number; changes: { at: number; offset: number }[] };
const BLOCK = 16 * DAY;
const blocks = new Map<string, Block>();

function block(zone: IANAZone, index: number): Block {
  const key = `${zone.name}|${index}`;
  const cached = blocks.get(key);
  if (cached) return cached;
  const last = (index + 1) * BLOCK - 1;
  let t = index * BLOCK;
  let offset = offsetMs(zone, t);
  const result: Block = { offset, changes: [] };
  while (t < last) {
    const next = Math.min(t + PROBE, last);
    if (offsetMs(zone, next) === offset) {
      t = next;
      continue;
    }
    // The first millisecond in (t, next] with another offset.
    let lo = t;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMs(zone, mid) === offset) lo = mid;
      else hi = mid;
    }
    offset = offsetMs(zone, hi);
    result.changes.push({ at: hi, offset });
    t = hi;
  }
  if (blocks.size >= 50_000) blocks.clear();
  blocks.set(key, result);
  return result;
}

/** Constant-offset pieces of the zone covering [from, to); the outer ones extend to ±Infinity. */
function segments(zone: IANAZone, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let start = -Infinity;
  let offset = NaN;
  const change = (at: number, next: number) => {
    if (next === offset) return;
    if (!Number.isNaN(offset)) out.push({ start, end: at, offset });
    start = Number.isNaN(offset) ? -Infinity : at;
    offset = next;
  };
  for (let i = Math.floor(from / BLOCK); i <= Math.floor(to / BLOCK); i++) {
    const b = block(zone, i);
    change(i * BLOCK, b.offset);
    for (const c of b.changes) change(c.at, c.offset);
  }
  out.push({ start, end: Infinity, offset });
  return out;
}

/** Sorted, disjoint open intervals within [from, to) (to > from). */
function openIntervals(p: Prepared, from: number, to: number): Interval[] {
  const segs = segments(p.zone, from - 2 * DAY, to + 2 * DAY);
  // Local days whose windows can reach [from, to): offsets differ by far less than a day.
  const firstDay = Math.floor((from + offsetMs(p.zone, from)) / DAY) - 2;
  const lastDay = Math.floor((to + offsetMs(p.zone, to)) / DAY) + 1;
  const raw: Interval[] = [];
  for (let d = firstDay; d <= lastDay; d++) {
    if (p.holidays.has(d)) continue;
    const weekday = ((((d + 3) % 7) + 7) % 7) + 1; // 1970-01-01 (day 0) was a Thursday
    for (const w of p.byDay[weekday] ?? []) {
      const wallStart = d * DAY + w.start * MIN;
      const wallEnd = d * DAY + (w.end > w.start ? w.end : w.end + 1440) * MIN;
      for (const s of segs) {
        const start = Math.max(s.start, wallStart - s.offset, from);
        const end = Math.min(s.end, wallEnd - s.offset, to);
        if (start < end) raw.push({ start, end });
      }
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const iv of raw) {
    const last = merged[merged.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else merged.push({ ...iv });
  }
  return merged;
}

/** The instant `minutes` of open time after `from` (the earliest such instant; 0 → `from`). */
export function addBusinessMinutes(cal: BusinessCalendarSpec, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new Error(`Business minutes must be a finite number >= 0, got ${minutes}`);
  }
  const start = from.getTime();
  if (minutes === 0) return new Date(start);
  let remaining = Math.round(minutes * MIN);
  if (cal.alwaysOpen) return new Date(start + remaining);
  if (cal.windows.length === 0) {
    throw new Error(`Calendar in ${cal.timeZone} has no opening hours: no due time can be reached`);
  }
  const p = prepare(cal);
  let cursor = start;
  let span = 7 * DAY;
  while (cursor - start < GIVE_UP) {
    for (const iv of openIntervals(p, cursor, cursor + span)) {
      const length = iv.end - iv.start;
      if (length >= remaining) return new Date(iv.start + remaining);
      remaining -= length;
    }
    cursor += span;
    span = Math.min(span * 2, 64 * DAY);
  }
  throw new Error(
    `Calendar in ${cal.timeZone} has no open time left: no due time within 5 years can be reached`,
  );
}

/** Open time in [from, to) in minutes (fractional when the inputs are not minute aligned). */
export function businessMinutesBetween(cal: BusinessCalendarSpec, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  if (cal.alwaysOpen) return (b - a) / MIN;
  if (cal.windows.length === 0) return 0;
  let ms = 0;
  for (const iv of openIntervals(prepare(cal), a, b)) ms += iv.end - iv.start;
  return ms / MIN;
}

export function isOpenAt(cal: BusinessCalendarSpec, at: Date): boolean {
  if (cal.alwaysOpen) return true;
  if (cal.windows.length === 0) return false;
  const t = at.getTime();
  return openIntervals(prepare(cal), t, t + 1).length > 0;
}
