"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ActionForm } from "@/components/forms/action-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { createCalendarAction, updateCalendarAction } from "@/lib/sla/actions";
import {
  CalendarCreateSchema,
  CalendarUpdateSchema,
  WEEKDAYS,
  formatDayHours,
  type StoredWindow,
} from "@/lib/sla/schemas";

export type CalendarFormValues = {
  id: string | null;
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  windows: StoredWindow[];
};

const hoursOf = (windows: StoredWindow[]) =>
  WEEKDAYS.map((_, i) => formatDayHours(windows.filter((w) => w.day === i + 1)));

/** Name, zone, 24/7 or opening hours per weekday (several windows a day, HH:MM). */
export function CalendarForm({
  calendar,
  timeZones,
}: {
  calendar: CalendarFormValues;
  timeZones: string[];
}) {
  const router = useRouter();
  const values = {
    name: calendar.name,
    timeZone: calendar.timeZone,
    alwaysOpen: calendar.alwaysOpen,
    hours: hoursOf(calendar.windows),
  };
  const create = useActionForm(CalendarCreateSchema, createCalendarAction, {
    defaultValues: values,
    onSuccess: (data) => router.push(`/admin/service-levels/calendars/${data.id}`),
  });
  const update = useActionForm(CalendarUpdateSchema, updateCalendarAction, {
    defaultValues: { ...values, calendarId: calendar.id ?? "" },
    refresh: true,
    onSuccess: (message) => message,
  });
  // One of the two, by whether the calendar exists yet (the fields are the same).
  const { form, onSubmit, pending, status } = (calendar.id ? update : create) as typeof create;
  const { errors } = form.formState;
  const alwaysOpen = form.watch("alwaysOpen");
  const zones = timeZones.includes(calendar.timeZone)
    ? timeZones
    : [calendar.timeZone, ...timeZones];

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-4" label="Calendar">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={errors.name?.message} required>
          <Input autoComplete="off" {...form.register("name")} />
        </Field>
        <Field label="Time zone" error={errors.timeZone?.message} required>
          <Select {...form.register("timeZone")}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <label className="flex cursor-pointer items-center gap-3 text-sm font-medium pointer-coarse:min-h-11">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("alwaysOpen")} />
        Always open (24/7: holidays and hours do not apply)
      </label>
      {!alwaysOpen && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-fg">Opening hours</legend>
          <p className="text-xs text-fg-muted">
            HH:MM–HH:MM, several separated by commas, e.g. 09:00–12:00, 13:00–17:30. Blank: closed.
            An end before the start runs past midnight (22:00–06:00).
          </p>
          {errors.hours?.message && (
            <p className="text-sm font-medium text-danger-text" aria-live="polite">
              {errors.hours.message}
            </p>
          )}
          <div className="grid gap-2">
            {WEEKDAYS.map((day, i) => (
              <Field
                key={day}
                label={day}
                error={errors.hours?.[i]?.message}
                className="sm:grid sm:grid-cols-[8rem_1fr] sm:items-center sm:gap-3"
              >
                <Input autoComplete="off" placeholder="closed" {...form.register(`hours.${i}`)} />
              </Field>
            ))}
          </div>
        </fieldset>
      )}
      <Button type="submit" loading={pending}>
        {calendar.id ? "Save calendar" : "Create calendar"}
      </Button>
    </ActionForm>
  );
}
