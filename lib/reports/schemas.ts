// The reports' filters (issue 15 §6), client-safe: parsed from the page's query string and from
// the CSV export's form alike. The range is two local dates in the viewer's time zone, inclusive;
// invalid or missing values fall back to the defaults (the last 30 days, grouped by day), a range
// longer than MAX_RANGE_DAYS is cut to its last MAX_RANGE_DAYS days. Who may filter by technician
// is not decided here: lib/reports/queries.ts forces a technician's own id whatever was sent.
import { DateTime } from "luxon";
import { z } from "zod";
import { TICKET_PRIORITIES } from "@/lib/tickets/status";

export const REPORT_KINDS = ["sla", "backlog", "volume", "times", "csat", "time"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_TITLES: Record<ReportKind, string> = {
  sla: "SLA compliance",
  backlog: "Backlog over time",
  volume: "Created vs resolved",
  times: "Response and resolution times",
  csat: "Satisfaction (CSAT)",
  time: "Time logged",
};

export const GROUPINGS = ["day", "week", "month"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 400;

export const REPORT_FILTER_KEYS = ["from", "to", "group", "priority", "category", "technician"];

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => DateTime.fromISO(s, { zone: "UTC" }).isValid);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const fields = {
  from: localDate,
  to: localDate,
  group: z.enum(GROUPINGS),
  priority: z.enum(TICKET_PRIORITIES),
  category: id,
  technician: id,
};

export type ReportFilters = {
  /** First and last local day of the range (YYYY-MM-DD), inclusive. */
  from: string;
  to: string;
  group: Grouping;
  priority?: (typeof TICKET_PRIORITIES)[number];
  categoryId?: string;
  /** Admins only; ignored (replaced by the viewer) for a technician. */
  technicianId?: string;
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, key: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  const one = Array.isArray(value) ? value[0] : value;
  return one === null || one === undefined || one === "" ? undefined : one;
}

function field<K extends keyof typeof fields>(params: Params, key: K) {
  const parsed = fields[key].safeParse(read(params, key));
  return parsed.success ? (parsed.data as z.infer<(typeof fields)[K]>) : undefined;
}

/** Parses and normalises the filters; `now` and `timeZone` decide "today" for the default range. */
export function parseReportFilters(
  params: Params,
  context: { timeZone: string; now: number },
): ReportFilters {
  const today = DateTime.fromMillis(context.now, { zone: context.timeZone }).toISODate()!;
  let to = field(params, "to") ?? today;
  let from = field(params, "from") ?? shiftDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) [from, to] = [to, from];
  if (daysBetween(from, to) >= MAX_RANGE_DAYS) from = shiftDays(to, -(MAX_RANGE_DAYS - 1));
  const filters: ReportFilters = { from, to, group: field(params, "group") ?? "day" };
  const priority = field(params, "priority");
  const category = field(params, "category");
  const technician = field(params, "technician");
  if (priority) filters.priority = priority;
  if (category) filters.categoryId = category;
  if (technician) filters.technicianId = technician;
  return filters;
}

/** The filters as query-string fields (the page's links and the export form's hidden inputs). */
export function reportFilterFields(filters: ReportFilters): [string, string][] {
  const out: [string, string][] = [
    ["from", filters.from],
    ["to", filters.to],
    ["group", filters.group],
  ];
  if (filters.priority) out.push(["priority", filters.priority]);
  if (filters.categoryId) out.push(["category", filters.categoryId]);
  if (filters.technicianId) out.push(["technician", filters.technicianId]);
  return out;
}

export function shiftDays(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days }).toISODate()!;
}

export function daysBetween(from: string, to: string): number {
  return Math.round(
    DateTime.fromISO(to, { zone: "UTC" }).diff(DateTime.fromISO(from, { zone: "UTC" }), "days")
      .days,
  );
}

/** Duration buckets of the distributions, upper bounds in hours ("< 1 h" ... "> 7 d"). */
export const DURATION_BOUNDS_HOURS = [1, 4, 8, 24, 72, 168] as const;
export const DURATION_LABELS = ["< 1 h", "1–4 h", "4–8 h", "8–24 h", "1–3 d", "3–7 d", "> 7 d"];
