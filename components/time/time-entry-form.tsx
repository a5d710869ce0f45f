"use client";
// Log time on a ticket, or change an entry (issue 15 §5): duration as typed ("90", "1h 30m",
// "1.5h"), the day (today in the viewer's zone by default, never later), a note, billable.
import { ActionForm } from "@/components/forms/action-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { logTimeAction, updateTimeEntryAction } from "@/lib/time/actions";
import { TIME_NOTE_MAX, TimeEntryCreateSchema, TimeEntryUpdateSchema } from "@/lib/time/schemas";
import type { TimeEntryView } from "@/lib/time/queries";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";

const box = "size-4 rounded border-line-strong";

function EntryFields<T extends FieldValues>({
  form,
  today,
}: {
  form: UseFormReturn<T, unknown, unknown>;
  today: string;
}) {
  const errors = form.formState.errors as Record<string, { message?: string } | undefined>;
  const name = (n: string) => n as Path<T>;
  return (
    <>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Time spent" hint="90, 1h 30m, 1.5h" error={errors.duration?.message}>
          <Input inputMode="text" autoComplete="off" {...form.register(name("duration"))} />
        </Field>
        <Field label="Date" error={errors.workDate?.message}>
          <Input type="date" max={today} {...form.register(name("workDate"))} />
        </Field>
      </div>
      <Field label="Note (optional)" error={errors.note?.message}>
        <Input maxLength={TIME_NOTE_MAX} {...form.register(name("note"))} />
      </Field>
      <label className="flex min-h-11 items-center gap-2 text-sm sm:min-h-0">
        <input type="checkbox" className={box} {...form.register(name("billable"))} />
        Billable
      </label>
    </>
  );
}

export function TimeEntryForm({ ticketId, today }: { ticketId: string; today: string }) {
  const empty = { ticketId, duration: "", workDate: today, note: "", billable: false };
  const { form, onSubmit, pending, status } = useActionForm(TimeEntryCreateSchema, logTimeAction, {
    defaultValues: empty,
    refresh: true,
    onSuccess: () => {
      form.reset(empty);
      return "Time logged.";
    },
  });
  return (
    <ActionForm label="Log time" onSubmit={onSubmit} status={status} className="space-y-3">
      <EntryFields form={form} today={today} />
      <Button type="submit" size="sm" loading={pending}>
        Log time
      </Button>
    </ActionForm>
  );
}

export function TimeEntryEditForm({
  entry,
  today,
  onDone,
}: {
  entry: TimeEntryView;
  today: string;
  onDone: () => void;
}) {
  const { form, onSubmit, pending, status } = useActionForm(
    TimeEntryUpdateSchema,
    updateTimeEntryAction,
    {
      defaultValues: {
        entryId: entry.id,
        duration: String(entry.minutes),
        workDate: entry.workDate,
        note: entry.note,
        billable: entry.billable,
      },
      refresh: true,
      onSuccess: () => {
        onDone();
      },
    },
  );
  return (
    <ActionForm label="Change time entry" onSubmit={onSubmit} status={status} className="space-y-3">
      <EntryFields form={form} today={today} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" loading={pending}>
          Save
        </Button>
        <Button variant="ghost" size="sm" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </ActionForm>
  );
}
