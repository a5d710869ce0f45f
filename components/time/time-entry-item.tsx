"use client";
// One time entry in the ticket's sidebar: its author may change or remove it (admins any).
import { useState } from "react";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { TimeEntryEditForm } from "@/components/time/time-entry-form";
import { deleteTimeEntryAction } from "@/lib/time/actions";
import { formatMinutes } from "@/lib/time/duration";
import type { TimeEntryView } from "@/lib/time/queries";

export function TimeEntryItem({ entry, today }: { entry: TimeEntryView; today: string }) {
  const [editing, setEditing] = useState(false);
  const remove = useAction({ refresh: true });
  if (editing) {
    return (
      <li>
        <TimeEntryEditForm entry={entry} today={today} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="space-y-1" data-testid="time-entry">
      <p className="flex flex-wrap items-baseline justify-between gap-x-2">
        <span className="font-medium">{formatMinutes(entry.minutes)}</span>
        <span className="text-xs text-fg-muted">
          {entry.workDate} · {entry.author}
          {entry.billable ? " · billable" : ""}
        </span>
      </p>
      {entry.note && <p className="wrap-anywhere text-fg-muted">{entry.note}</p>}
      {entry.canEdit && (
        <div className="flex flex-wrap gap-2">
          <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete entry"
            question="Delete this entry?"
            variant="danger"
            pending={remove.pending}
            onConfirm={() => remove.run(() => deleteTimeEntryAction({ entryId: entry.id }))}
          />
        </div>
      )}
      <FormMessage status={remove.status} />
    </li>
  );
}
