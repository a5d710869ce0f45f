"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { ActionForm } from "@/components/forms/action-form";
import { useAction } from "@/components/forms/use-action";
import { useActionForm } from "@/components/forms/use-action-form";
import {
  addHolidayAction,
  importCountryHolidaysAction,
  importIcalHolidaysAction,
  removeHolidayAction,
} from "@/lib/sla/actions";
import { CountryImportSchema, HolidayAddSchema, ICAL_MAX_BYTES } from "@/lib/sla/schemas";

export type HolidayRow = { id: string; date: string; name: string };

const message = (text: string) => text;

/** A calendar's holidays: the list, one by hand, an .ics file, a country's public holidays. */
export function HolidaysPanel({
  calendarId,
  holidays,
  year,
}: {
  calendarId: string;
  holidays: HolidayRow[];
  year: number;
}) {
  const remove = useAction({ refresh: true });
  const add = useActionForm(HolidayAddSchema, addHolidayAction, {
    defaultValues: { calendarId, date: "", name: "" },
    refresh: true,
    onSuccess: (text, form) => {
      form.reset({ calendarId, date: "", name: "" });
      return message(text);
    },
  });
  const country = useActionForm(CountryImportSchema, importCountryHolidaysAction, {
    defaultValues: { calendarId, country: "", region: "", year },
    refresh: true,
    onSuccess: message,
  });
  const ical = useAction({ refresh: true });
  const [file, setFile] = useState<File | null>(null);
  const [fromYear, setFromYear] = useState(String(year));
  const [toYear, setToYear] = useState(String(year + 1));

  return (
    <div className="space-y-6">
      <FormMessage status={remove.status} />
      {holidays.length === 0 ? (
        <p className="text-sm text-fg-muted">No holidays yet.</p>
      ) : (
        <ul className="divide-y divide-line rounded-md border border-line" aria-label="Holidays">
          {holidays.map((h) => (
            <li
              key={h.id}
              className="flex flex-wrap items-center gap-3 px-3 py-2"
              data-testid="holiday-row"
            >
              <span className="font-mono text-sm">{h.date}</span>
              <span className="min-w-0 flex-1 break-words">{h.name}</span>
              <Button
                size="sm"
                variant="ghost"
                disabled={remove.pending}
                aria-label={`Remove ${h.name} (${h.date})`}
                onClick={() =>
                  remove.run(() => removeHolidayAction({ calendarId, holidayId: h.id }))
                }
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}

      <ActionForm
        onSubmit={add.onSubmit}
        status={add.status}
        className="space-y-3"
        label="Add a holiday"
      >
        <h3 className="text-sm font-semibold">Add a holiday</h3>
        <div className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start">
          <Field label="Date" error={add.form.formState.errors.date?.message} required>
            <Input type="date" {...add.form.register("date")} />
          </Field>
          <Field label="Name" error={add.form.formState.errors.name?.message} required>
            <Input autoComplete="off" {...add.form.register("name")} />
          </Field>
          <Button type="submit" loading={add.pending} className="sm:mt-[1.625rem]">
            Add holiday
          </Button>
        </div>
      </ActionForm>

      <form
        method="post"
        noValidate
        aria-label="Import an iCal file"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return ical.setStatus({ error: "Choose an .ics file.", success: null });
          if (file.size > ICAL_MAX_BYTES) {
            return ical.setStatus({ error: "The file is larger than 1 MB.", success: null });
          }
          ical.run(
            async () =>
              importIcalHolidaysAction({
                calendarId,
                text: await file.text(),
                fromYear,
                toYear,
              }),
            { onSuccess: message },
          );
        }}
      >
        <h3 className="text-sm font-semibold">Import an iCal file</h3>
        <FormMessage status={ical.status} />
        <p className="text-xs text-fg-muted">
          All-day events become holidays; yearly ones are repeated in the years chosen.
        </p>
        <div className="grid gap-3 sm:grid-cols-[1fr_7rem_7rem_auto] sm:items-end">
          <Field label=".ics file">
            <Input
              type="file"
              accept=".ics,text/calendar"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          <Field label="From year">
            <Input
              inputMode="numeric"
              value={fromYear}
              onChange={(e) => setFromYear(e.target.value)}
            />
          </Field>
          <Field label="To year">
            <Input inputMode="numeric" value={toYear} onChange={(e) => setToYear(e.target.value)} />
          </Field>
          <Button type="submit" loading={ical.pending}>
            Import file
          </Button>
        </div>
      </form>

      <ActionForm
        onSubmit={country.onSubmit}
        status={country.status}
        className="space-y-3"
        label="Import public holidays"
      >
        <h3 className="text-sm font-semibold">Import a country&apos;s public holidays</h3>
        <div className="grid gap-3 sm:grid-cols-[8rem_8rem_7rem_auto] sm:items-start">
          <Field
            label="Country"
            hint="e.g. DE"
            error={country.form.formState.errors.country?.message}
            required
          >
            <Input autoComplete="off" maxLength={2} {...country.form.register("country")} />
          </Field>
          <Field
            label="Region"
            hint="optional, e.g. BY"
            error={country.form.formState.errors.region?.message}
          >
            <Input autoComplete="off" maxLength={3} {...country.form.register("region")} />
          </Field>
          <Field label="Year" error={country.form.formState.errors.year?.message} required>
            <Input inputMode="numeric" {...country.form.register("year")} />
          </Field>
          <Button type="submit" loading={country.pending} className="sm:mt-[1.625rem]">
            Import holidays
          </Button>
        </div>
      </ActionForm>
    </div>
  );
}
