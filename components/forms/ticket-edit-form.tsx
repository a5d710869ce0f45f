"use client";
import { useState } from "react";
import { useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage, NO_STATUS } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { editTicketAction } from "@/lib/tickets/actions";
import { TITLE_MAX, TicketEditSchema } from "@/lib/tickets/schemas";
import { CharCount } from "./char-count";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

/**
 * Title and description, behind an "Edit" button: the requester while the ticket is NEW, staff
 * at any time (the service decides; the page only shows the button to those it would allow).
 * The version travels with the form, so an edit over someone else's change is refused with
 * "changed since you opened it" and the typed text stays in the form.
 */
export function TicketEditForm({
  ticketId,
  version,
  title,
  description,
}: {
  ticketId: string;
  version: number;
  title: string;
  description: string;
}) {
  const [editing, setEditing] = useState(false);
  // The version the person started editing from. The page may re-render with a newer ticket
  // meanwhile (live updates, docs/decisions/028-live-updates.md): the fields nobody typed in
  // follow it, the version does not, so saving over someone else's change is still refused.
  const [openedAt, setOpenedAt] = useState(version);
  const pinned = editing ? openedAt : version;
  // After a save the form closes: the focus goes back to the button that opened it.
  const [saved, setSaved] = useState(false);
  const { form, onSubmit, pending, status, setStatus } = useActionForm(
    TicketEditSchema,
    editTicketAction,
    {
      values: { ticketId, version: pinned, title, description },
      resetOptions: { keepDirtyValues: true },
      refresh: true,
      onSuccess: () => {
        setEditing(false);
        setSaved(true);
        return "Ticket updated.";
      },
    },
  );
  const { errors } = form.formState;
  const typedTitle = useWatch({ control: form.control, name: "title" }) ?? "";

  if (!editing) {
    return (
      <div className="space-y-2">
        <FormMessage status={status} />
        <Button
          variant="secondary"
          size="sm"
          autoFocus={saved}
          onClick={() => {
            setStatus(NO_STATUS);
            setOpenedAt(version);
            setEditing(true);
          }}
        >
          Edit title and description
        </Button>
      </div>
    );
  }
  return (
    <ActionForm
      onSubmit={onSubmit}
      status={status}
      className="space-y-4 rounded-lg border border-line bg-surface p-4"
      label="Edit ticket"
    >
      <Field
        label="Title"
        error={errors.title?.message}
        hint={<CharCount value={typedTitle} max={TITLE_MAX} />}
        required
      >
        <Input autoComplete="off" {...form.register("title")} />
      </Field>
      <Field label="Description" error={errors.description?.message} hint="Markdown is supported.">
        <Textarea rows={8} {...form.register("description")} />
      </Field>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => {
            form.reset({ ticketId, version, title, description });
            setStatus(NO_STATUS);
            setEditing(false);
          }}
        >
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          Save changes
        </Button>
      </div>
    </ActionForm>
  );
}
