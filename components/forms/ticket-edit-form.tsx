"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError, FormSuccess } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { editTicketAction } from "@/lib/tickets/actions";
import {
  DESCRIPTION_MAX,
  TITLE_MAX,
  TicketEditSchema,
  type TicketEditData,
  type TicketEditInput,
} from "@/lib/tickets/schemas";

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
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<TicketEditInput, unknown, TicketEditData>({
    resolver: zodResolver(TicketEditSchema),
    values: { ticketId, version, title, description },
    resetOptions: { keepDirtyValues: true },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      const result = await editTicketAction(values);
      if (result.ok) {
        setEditing(false);
        setSuccess("Ticket updated.");
        router.refresh();
        return;
      }
      setFormError(result.formError ?? "The ticket could not be updated.");
      for (const [name, messages] of Object.entries(result.fieldErrors ?? {})) {
        if (messages?.[0] && (name === "title" || name === "description")) {
          form.setError(name, { message: messages[0] });
        }
      }
    });
  });

  if (!editing) {
    return (
      <div className="space-y-2">
        <FormSuccess message={success} />
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setSuccess(null);
            setEditing(true);
          }}
        >
          Edit title and description
        </Button>
      </div>
    );
  }
  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-4 rounded-lg border border-line bg-surface p-4"
      aria-label="Edit ticket"
    >
      <FormError message={formError} />
      <Field label="Title" error={errors.title?.message} required>
        <Input maxLength={TITLE_MAX} autoComplete="off" {...form.register("title")} />
      </Field>
      <Field label="Description" error={errors.description?.message} hint="Markdown is supported.">
        <Textarea rows={8} maxLength={DESCRIPTION_MAX} {...form.register("description")} />
      </Field>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => {
            form.reset({ ticketId, version, title, description });
            setFormError(null);
            setEditing(false);
          }}
        >
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          Save changes
        </Button>
      </div>
    </form>
  );
}
