// Time entries (issue 15 §5): the schemas shared by the forms (zodResolver) and the server
// actions, which parse with the SAME schema. Client-safe: no server imports.
import { z } from "zod";
import { MIN_ISO_DAY, NUL_MESSAGE, storable } from "@/lib/text";
import { ENTRY_MINUTES_MAX, ENTRY_MINUTES_MIN, parseDuration } from "@/lib/time/duration";

export const TIME_NOTE_MAX = 500;
export const DURATION_MESSAGE = "Write the time like 90, 1h 30m or 1.5h.";
export const DURATION_RANGE_MESSAGE = "Between 1 minute and 24 hours per entry.";

const id = z.string().trim().min(1, "Required.").max(64).refine(storable, NUL_MESSAGE);

function toMinutes(value: string | number, ctx: z.RefinementCtx): number {
  const minutes = typeof value === "number" ? value : parseDuration(value);
  if (minutes === null) {
    ctx.addIssue({ code: "custom", message: DURATION_MESSAGE });
    return z.NEVER;
  }
  if (!Number.isInteger(minutes) || minutes < ENTRY_MINUTES_MIN || minutes > ENTRY_MINUTES_MAX) {
    ctx.addIssue({ code: "custom", message: DURATION_RANGE_MESSAGE });
    return z.NEVER;
  }
  return minutes;
}

// The form sends what the schema made of its fields (minutes), the server parses that again with
// the same schema: a number of minutes is accepted as it is (still checked).
const typed = z.string().trim().max(20, DURATION_MESSAGE);

/** A duration as typed, to whole minutes (1..1440). */
export const DurationSchema = z
  .union([z.number(), typed.min(1, "Enter the time spent.")])
  .transform(toMinutes);

/** The reply box's optional "Time spent": empty means none. */
export const OptionalDurationSchema = z
  .union([z.number(), typed, z.null()])
  .default("")
  .transform((value, ctx) => (value === "" || value === null ? null : toMinutes(value, ctx)));

/** A calendar day, "YYYY-MM-DD" (the service refuses days after today in the viewer's zone). */
export const WorkDateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && v >= MIN_ISO_DAY, "Choose a date.");

const note = z
  .string()
  .trim()
  .max(TIME_NOTE_MAX, `At most ${TIME_NOTE_MAX} characters.`)
  .refine(storable, NUL_MESSAGE)
  .default("");
/** A checkbox: true from a form's "on" (FormData) or a boolean (the form's own values). */
const checkbox = z
  .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .default(false)
  .transform((v) => v === true || v === "on" || v === "true");

export const TimeEntryCreateSchema = z.object({
  ticketId: id,
  duration: DurationSchema,
  /** Empty: today in the viewer's time zone. */
  workDate: z.union([WorkDateSchema, z.literal("")]).default(""),
  note,
  billable: checkbox,
});
export type TimeEntryCreateInput = z.input<typeof TimeEntryCreateSchema>;
export type TimeEntryCreateData = z.output<typeof TimeEntryCreateSchema>;

export const TimeEntryUpdateSchema = z.object({
  entryId: id,
  duration: DurationSchema,
  workDate: WorkDateSchema,
  note,
  billable: checkbox,
});
export type TimeEntryUpdateInput = z.input<typeof TimeEntryUpdateSchema>;
export type TimeEntryUpdateData = z.output<typeof TimeEntryUpdateSchema>;

export const TimeEntryDeleteSchema = z.object({ entryId: id });
export type TimeEntryDeleteData = z.output<typeof TimeEntryDeleteSchema>;
