import "server-only";
// Business-hours calendars (ADR 024): writes with their audit event in ONE transaction, and
// loadCalendarSpec, the calendar as lib/sla/business-time.ts reads it.
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { writeSlaRules } from "@/lib/sla/rules";
import { NotFoundError, uniqueAsFieldError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import type { BusinessCalendarSpec } from "@/lib/sla/business-time";
import type { HolidayEntry } from "@/lib/sla/holidays";
import { CalendarWindowsSchema, type StoredWindow } from "@/lib/sla/schemas";

const NOT_FOUND = "Calendar not found.";
const DUPLICATE = "A calendar with this name already exists.";
const IN_USE = "A service-level policy uses this calendar: choose another calendar there first.";
/** Holidays one calendar may hold. */
export const MAX_HOLIDAYS = 2_000;

const audit = changeRecorder("BusinessCalendar");

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** The calendar for the business-time functions: windows validated, holidays as YYYY-MM-DD. */
export async function loadCalendarSpec(tx: Tx, calendarId: string): Promise<BusinessCalendarSpec> {
  const row = await tx.businessCalendar.findUnique({
    where: { id: calendarId },
    select: {
      timeZone: true,
      alwaysOpen: true,
      windows: true,
      holidays: { select: { date: true }, orderBy: { date: "asc" } },
    },
  });
  if (!row) throw new NotFoundError(NOT_FOUND);
  return {
    timeZone: row.timeZone,
    alwaysOpen: row.alwaysOpen,
    windows: CalendarWindowsSchema.parse(row.windows),
    holidays: row.holidays.map((h) => dayOf(h.date)),
  };
}

type CalendarValues = {
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  windows: StoredWindow[];
};

async function lockCalendar(tx: Tx, id: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "BusinessCalendar" WHERE id = ${id} FOR UPDATE`;
  if (rows.length !== 1) throw new NotFoundError(NOT_FOUND);
  const row = await tx.businessCalendar.findUniqueOrThrow({
    where: { id },
    select: { id: true, name: true, timeZone: true, alwaysOpen: true, windows: true },
  });
  return { ...row, windows: CalendarWindowsSchema.parse(row.windows) };
}

function withNameCheck<T>(fn: () => Promise<T>): Promise<T> {
  return uniqueAsFieldError("name", DUPLICATE, fn);
}

export async function createCalendar(
  ctx: ServiceContext,
  input: CalendarValues,
): Promise<{ id: string }> {
  assertCan(ctx.actor, "sla:manage");
  const windows = CalendarWindowsSchema.parse(input.windows);
  return withNameCheck(() =>
    writeSlaRules(async (tx) => {
      const row = await tx.businessCalendar.create({
        data: { ...input, windows },
        select: { id: true, name: true, timeZone: true, alwaysOpen: true, windows: true },
      });
      await audit(tx, ctx, "sla.calendar.created", row.id, null, row);
      return { id: row.id };
    }),
  );
}

export async function updateCalendar(
  ctx: ServiceContext,
  input: CalendarValues & { calendarId: string },
): Promise<void> {
  assertCan(ctx.actor, "sla:manage");
  const windows = CalendarWindowsSchema.parse(input.windows);
  await withNameCheck(() =>
    writeSlaRules(async (tx) => {
      const { id, ...before } = await lockCalendar(tx, input.calendarId);
      const after = {
        name: input.name,
        timeZone: input.timeZone,
        alwaysOpen: input.alwaysOpen,
        windows,
      };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      await tx.businessCalendar.update({ where: { id }, data: after });
      await audit(tx, ctx, "sla.calendar.updated", id, before, after);
    }),
  );
}

export async function deleteCalendar(
  ctx: ServiceContext,
  input: { calendarId: string },
): Promise<void> {
  assertCan(ctx.actor, "sla:manage");
  await writeSlaRules(async (tx) => {
    const before = await lockCalendar(tx, input.calendarId);
    // Policies lock the calendar row (FOR KEY SHARE) when they point at it: this count is final.
    if ((await tx.slaPolicy.count({ where: { calendarId: before.id } })) > 0) {
      throw new ValidationError(IN_USE);
    }
    await tx.businessCalendar.delete({ where: { id: before.id } });
    await audit(tx, ctx, "sla.calendar.deleted", before.id, before, null);
  });
}

/** Adds holidays (by hand: one; imports: many); a date already there keeps its name. */
export async function addHolidays(
  ctx: ServiceContext,
  input: { calendarId: string; holidays: HolidayEntry[]; source: string },
): Promise<{ added: number }> {
  assertCan(ctx.actor, "sla:manage");
  return writeSlaRules(async (tx) => {
    const calendar = await lockCalendar(tx, input.calendarId);
    const existing = await tx.calendarHoliday.count({ where: { calendarId: calendar.id } });
    const created = await tx.calendarHoliday.createManyAndReturn({
      data: input.holidays.map((h) => ({
        calendarId: calendar.id,
        date: new Date(`${h.date}T00:00:00Z`),
        name: h.name,
      })),
      skipDuplicates: true,
      select: { date: true, name: true },
    });
    if (existing + created.length > MAX_HOLIDAYS) {
      throw new ValidationError(`A calendar holds at most ${MAX_HOLIDAYS} holidays.`);
    }
    if (created.length > 0) {
      const dates = created.map((h) => ({ date: dayOf(h.date), name: h.name }));
      await audit(
        tx,
        ctx,
        input.source === "manual" ? "sla.calendar.updated" : "sla.holidays.imported",
        calendar.id,
        null,
        { holidays: dates },
        { source: input.source, offered: input.holidays.length, added: created.length },
      );
    }
    return { added: created.length };
  });
}

export async function removeHoliday(
  ctx: ServiceContext,
  input: { calendarId: string; holidayId: string },
): Promise<void> {
  assertCan(ctx.actor, "sla:manage");
  await writeSlaRules(async (tx) => {
    const calendar = await lockCalendar(tx, input.calendarId);
    const holiday = await tx.calendarHoliday.findFirst({
      where: { id: input.holidayId, calendarId: calendar.id },
      select: { id: true, date: true, name: true },
    });
    if (!holiday) throw new NotFoundError("Holiday not found.");
    await tx.calendarHoliday.delete({ where: { id: holiday.id } });
    await audit(
      tx,
      ctx,
      "sla.calendar.updated",
      calendar.id,
      { holidays: [{ date: dayOf(holiday.date), name: holiday.name }] },
      null,
      { removedHoliday: true },
    );
  });
}
