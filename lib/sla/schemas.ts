import { z } from "zod";
import { validTimeZone } from "@/lib/dates";
import { TICKET_PRIORITIES } from "@/lib/tickets/status";
import { NUL_MESSAGE, storable } from "@/lib/text";

// Service-level inputs (ADR 024), shared by the admin forms (zodResolver) and the server actions.
// Client-safe: no server-only imports.

export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** One opening window as stored in BusinessCalendar.windows (lib/sla/business-time.ts). */
export const CalendarWindowSchema = z.object({
  day: z.number().int().min(1).max(7),
  start: z.number().int().min(0).max(1439),
  end: z.number().int().min(1).max(1440),
});
export const CalendarWindowsSchema = z.array(CalendarWindowSchema).max(7 * 12);
export type StoredWindow = z.infer<typeof CalendarWindowSchema>;

const MAX_WINDOWS_PER_DAY = 12;
const RANGE = /^([01]\d|2[0-4]):([0-5]\d)\s*[-–—]\s*([01]\d|2[0-4]):([0-5]\d)$/;

/** "09:00–12:00, 13:00–17:30" → windows in minutes of the day; null when it does not read. */
export function parseDayHours(text: string): { start: number; end: number }[] | null {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const parts = trimmed.split(/\s*[,;]\s*/).filter((p) => p !== "");
  if (parts.length > MAX_WINDOWS_PER_DAY) return null;
  const out: { start: number; end: number }[] = [];
  for (const part of parts) {
    const m = RANGE.exec(part);
    if (!m) return null;
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    if (start > 1439 || end > 1440 || end === 0) return null;
    out.push({ start, end });
  }
  return out;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The text parseDayHours reads back, for one weekday's windows. */
export function formatDayHours(windows: { start: number; end: number }[]): string {
  return [...windows]
    .sort((a, b) => a.start - b.start)
    .map((w) => `${hhmm(w.start)}–${hhmm(w.end)}`)
    .join(", ");
}

const HOURS_MESSAGE =
  "Use HH:MM–HH:MM, several separated by commas (e.g. 09:00–12:00, 13:00–17:30).";

const IdSchema = (what: string) =>
  z
    .string({ error: `Choose a ${what}.` })
    .trim()
    .min(1, `Choose a ${what}.`)
    .max(64, `Choose a ${what}.`)
    .refine(storable, `Choose a ${what}.`);

const NameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(80, "Use at most 80 characters.")
  .refine(storable, NUL_MESSAGE);

const CalendarFields = z.object({
  name: NameSchema,
  timeZone: z
    .string({ error: "Choose a time zone." })
    .trim()
    .refine((v) => validTimeZone(v) !== null, "Choose a time zone from the list."),
  alwaysOpen: z.boolean(),
  /** One text per weekday, Monday first. */
  hours: z
    .array(
      z
        .string()
        .max(300, HOURS_MESSAGE)
        .refine((v) => parseDayHours(v) !== null, HOURS_MESSAGE),
    )
    .length(7),
});

type CalendarFieldValues = z.output<typeof CalendarFields>;

/** The weekday texts as stored windows (after the schema accepted them). */
export function calendarValues<T extends CalendarFieldValues>(input: T) {
  const windows = input.hours.flatMap((text, i) =>
    (parseDayHours(text) ?? []).map((w) => ({ day: i + 1, ...w })),
  );
  const { hours: _hours, ...rest } = input;
  return { ...rest, windows };
}

// No transforms: the form hands the action what it parsed, and the action parses it again.
function checkCalendar(input: CalendarFieldValues, ctx: z.RefinementCtx) {
  if (input.hours.some((text) => parseDayHours(text) === null)) return; // said on the day
  if (!input.alwaysOpen && calendarValues(input).windows.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["hours"],
      message: "Enter opening hours for at least one day, or choose Always open.",
    });
  }
}

export const CalendarCreateSchema = CalendarFields.superRefine(checkCalendar);
export const CalendarUpdateSchema = CalendarFields.extend({
  calendarId: IdSchema("calendar"),
}).superRefine(checkCalendar);
export type CalendarFormInput = z.input<typeof CalendarCreateSchema>;

export const CalendarIdSchema = z.object({ calendarId: IdSchema("calendar") });

const DateSchema = z
  .string({ error: "Enter a date." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date.")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "Enter a real date.");

export const HolidayAddSchema = z.object({
  calendarId: IdSchema("calendar"),
  date: DateSchema,
  name: NameSchema,
});
export const HolidayRemoveSchema = z.object({
  calendarId: IdSchema("calendar"),
  holidayId: IdSchema("holiday"),
});

const YearSchema = z.coerce
  .number({ error: "Enter a year." })
  .int("Enter a year.")
  .min(1970, "Enter a year from 1970 to 2100.")
  .max(2100, "Enter a year from 1970 to 2100.");

/** An uploaded iCal file's text (the browser reads the file); at most 1 MB. */
export const ICAL_MAX_BYTES = 1_000_000;
export const IcalImportSchema = z
  .object({
    calendarId: IdSchema("calendar"),
    text: z
      .string({ error: "Choose an .ics file." })
      .min(1, "Choose an .ics file.")
      .max(ICAL_MAX_BYTES, "The file is larger than 1 MB.")
      .refine(storable, NUL_MESSAGE),
    fromYear: YearSchema,
    toYear: YearSchema,
  })
  .refine((v) => v.toYear >= v.fromYear && v.toYear - v.fromYear <= 10, {
    path: ["toYear"],
    message: "Choose at most 10 years, the last not before the first.",
  });

export const CountryImportSchema = z.object({
  calendarId: IdSchema("calendar"),
  country: z
    .string({ error: "Enter a country code." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Enter a two-letter country code, e.g. DE."),
  region: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z0-9]{1,3})?$/, "Enter a region code such as BY, or leave it blank.")
    .optional()
    .transform((v) => (v ? v : undefined)),
  year: YearSchema,
});

// ---- policies ----

const TargetPart = z.string().trim().max(6).regex(/^\d*$/, "Whole numbers only.");

/** Hours and minutes as typed; both blank = no target. */
function targetMinutes(hours: string, minutes: string): number | null | "invalid" {
  if (hours === "" && minutes === "") return null;
  const total = Number(hours || "0") * 60 + Number(minutes || "0");
  if (Number(minutes || "0") > 59 || total < 1 || total > 400 * 24 * 60) return "invalid";
  return total;
}

const TARGETS = ["firstResponse", "nextResponse", "resolution"] as const;

const PolicyFields = z.object({
  name: NameSchema,
  active: z.boolean(),
  priorities: z.preprocess(
    (v) => (Array.isArray(v) ? v : v ? [v] : []),
    z.array(z.enum(TICKET_PRIORITIES)).max(TICKET_PRIORITIES.length),
  ),
  categoryIds: z.preprocess(
    (v) => (Array.isArray(v) ? v : v ? [v] : []),
    z.array(IdSchema("category")).max(500),
  ),
  calendarId: IdSchema("calendar"),
  firstResponseHours: TargetPart,
  firstResponseMinutes: TargetPart,
  nextResponseHours: TargetPart,
  nextResponseMinutes: TargetPart,
  resolutionHours: TargetPart,
  resolutionMinutes: TargetPart,
  atRiskPercent: z.coerce
    .number({ error: "Enter a percentage." })
    .int("Enter a whole percentage.")
    .min(1, "Enter 1 to 99.")
    .max(99, "Enter 1 to 99."),
});

type PolicyFieldValues = z.output<typeof PolicyFields>;

function checkPolicy(input: PolicyFieldValues, ctx: z.RefinementCtx) {
  for (const t of TARGETS) {
    if (targetMinutes(input[`${t}Hours`], input[`${t}Minutes`]) === "invalid") {
      ctx.addIssue({
        code: "custom",
        path: [`${t}Minutes`],
        message: "Enter hours and minutes (0–59) above zero, or leave both blank for no target.",
      });
    }
  }
}

/** The form's fields as a policy row's values (after the schema accepted them). */
export function policyValues(input: PolicyFieldValues) {
  const minutes = (t: (typeof TARGETS)[number]) => {
    const value = targetMinutes(input[`${t}Hours`], input[`${t}Minutes`]);
    return value === "invalid" ? null : value;
  };
  return {
    name: input.name,
    active: input.active,
    priorities: [...new Set(input.priorities)],
    categoryIds: [...new Set(input.categoryIds)],
    calendarId: input.calendarId,
    atRiskPercent: input.atRiskPercent,
    firstResponseMinutes: minutes("firstResponse"),
    nextResponseMinutes: minutes("nextResponse"),
    resolutionMinutes: minutes("resolution"),
  };
}

export const PolicyCreateSchema = PolicyFields.superRefine(checkPolicy);
export const PolicyUpdateSchema = PolicyFields.extend({ policyId: IdSchema("policy") }).superRefine(
  checkPolicy,
);
export type PolicyFormInput = z.input<typeof PolicyCreateSchema>;
export type PolicyValues = ReturnType<typeof policyValues>;

/** Minutes → the form's hours and minutes ("" for no target). */
export function targetFields(minutes: number | null): { hours: string; minutes: string } {
  if (minutes === null) return { hours: "", minutes: "" };
  return { hours: String(Math.floor(minutes / 60)), minutes: String(minutes % 60) };
}

export const PolicyIdSchema = z.object({ policyId: IdSchema("policy") });
export const PolicyMoveSchema = z.object({
  policyId: IdSchema("policy"),
  direction: z.enum(["up", "down"]),
});
