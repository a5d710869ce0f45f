"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import {
  addHolidays,
  createCalendar,
  deleteCalendar,
  removeHoliday,
  updateCalendar,
} from "@/lib/sla/calendars";
import { countryHolidays, parseIcalHolidays } from "@/lib/sla/holidays";
import { createPolicy, deletePolicy, movePolicy, updatePolicy } from "@/lib/sla/policies";
import {
  CalendarCreateSchema,
  CalendarIdSchema,
  CalendarUpdateSchema,
  CountryImportSchema,
  HolidayAddSchema,
  HolidayRemoveSchema,
  IcalImportSchema,
  PolicyCreateSchema,
  PolicyIdSchema,
  PolicyMoveSchema,
  PolicyUpdateSchema,
  calendarValues,
  policyValues,
} from "@/lib/sla/schemas";

function revalidate() {
  revalidatePath("/admin/service-levels", "layout");
}

export const createCalendarAction = defineAction({
  name: "sla.calendar.created",
  schema: CalendarCreateSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    const { id } = await createCalendar(ctx, calendarValues(input));
    revalidate();
    return { id };
  },
});

export const updateCalendarAction = defineAction({
  name: "sla.calendar.updated",
  schema: CalendarUpdateSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    await updateCalendar(ctx, calendarValues(input));
    revalidate();
    return "Saved.";
  },
});

export const deleteCalendarAction = defineAction({
  name: "sla.calendar.deleted",
  schema: CalendarIdSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    await deleteCalendar(ctx, input);
    revalidate();
    return null;
  },
});

export const addHolidayAction = defineAction({
  name: "sla.calendar.updated",
  schema: HolidayAddSchema,
  permission: "sla:manage",
  async handler({ calendarId, date, name }, ctx) {
    const { added } = await addHolidays(ctx, {
      calendarId,
      holidays: [{ date, name }],
      source: "manual",
    });
    revalidate();
    return added === 1 ? "Holiday added." : "That day is already a holiday.";
  },
});

export const removeHolidayAction = defineAction({
  name: "sla.calendar.updated",
  schema: HolidayRemoveSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    await removeHoliday(ctx, input);
    revalidate();
    return null;
  },
});

const importedMessage = (added: number, offered: number) =>
  `${added} of ${offered} ${offered === 1 ? "holiday" : "holidays"} added${added < offered ? " (the others were there already)" : ""}.`;

export const importIcalHolidaysAction = defineAction({
  name: "sla.holidays.imported",
  schema: IcalImportSchema,
  permission: "sla:manage",
  async handler({ calendarId, text, fromYear, toYear }, ctx) {
    const holidays = parseIcalHolidays(text, { from: fromYear, to: toYear });
    const { added } = await addHolidays(ctx, { calendarId, holidays, source: "ical" });
    revalidate();
    return importedMessage(added, holidays.length);
  },
});

export const importCountryHolidaysAction = defineAction({
  name: "sla.holidays.imported",
  schema: CountryImportSchema,
  permission: "sla:manage",
  async handler({ calendarId, country, region, year }, ctx) {
    const holidays = countryHolidays(country, region, year);
    const source = `country:${country}${region ? `-${region}` : ""}:${year}`;
    const { added } = await addHolidays(ctx, { calendarId, holidays, source });
    revalidate();
    return importedMessage(added, holidays.length);
  },
});

export const createPolicyAction = defineAction({
  name: "sla.policy.created",
  schema: PolicyCreateSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    const { id } = await createPolicy(ctx, policyValues(input));
    revalidate();
    return { id };
  },
});

export const updatePolicyAction = defineAction({
  name: "sla.policy.updated",
  schema: PolicyUpdateSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    await updatePolicy(ctx, { policyId: input.policyId, ...policyValues(input) });
    revalidate();
    return "Saved.";
  },
});

export const movePolicyAction = defineAction({
  name: "sla.policy.updated",
  schema: PolicyMoveSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    await movePolicy(ctx, input);
    revalidate();
    return null;
  },
});

export const deletePolicyAction = defineAction({
  name: "sla.policy.deleted",
  schema: PolicyIdSchema,
  permission: "sla:manage",
  async handler(input, ctx) {
    await deletePolicy(ctx, input);
    revalidate();
    return null;
  },
});
