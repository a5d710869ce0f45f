"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { createTicketAction } from "@/lib/tickets/actions";
import {
  DESCRIPTION_MAX,
  TITLE_MAX,
  TicketCreateSchema,
  type TicketCreateData,
  type TicketCreateInput,
} from "@/lib/tickets/schemas";
import { PRIORITY_LABELS, TICKET_PRIORITIES } from "@/lib/tickets/status";

export type Option = { id: string; name: string };

export type TicketCreateFormProps = {
  categories: Option[];
  /** Staff only: people the ticket may be filed for; absent for users. */
  requesters?: (Option & { email: string })[];
  /** Staff may set a priority; users' tickets start at the default. */
  canSetPriority: boolean;
};

export function TicketCreateForm({
  categories,
  requesters,
  canSetPriority,
}: TicketCreateFormProps) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<TicketCreateInput, unknown, TicketCreateData>({
    resolver: zodResolver(TicketCreateSchema),
    defaultValues: {
      title: "",
      description: "",
      categoryId: "",
      ...(canSetPriority && { priority: "MEDIUM" }),
      ...(requesters && { requesterId: "" }),
    },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      const result = await createTicketAction(values);
      if (result.ok) {
        router.push(`/tickets/${result.data.number}?created=1`);
        return;
      }
      // The server refused: keep everything the person typed, show why next to the fields.
      setFormError(result.formError ?? "The ticket could not be created.");
      for (const [name, messages] of Object.entries(result.fieldErrors ?? {})) {
        if (messages?.[0] && name in TicketCreateSchema.shape) {
          form.setError(name as keyof TicketCreateInput, { message: messages[0] });
        }
      }
    });
  });

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label="New ticket"
    >
      <FormError message={formError} />
      <Field
        label="Title"
        error={errors.title?.message}
        hint="A short summary of the problem."
        required
      >
        <Input maxLength={TITLE_MAX} autoComplete="off" {...form.register("title")} />
      </Field>
      <Field label="Category" error={errors.categoryId?.message} required>
        <Select {...form.register("categoryId")}>
          <option value="">Choose a category…</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      </Field>
      {canSetPriority && (
        <Field label="Priority" error={errors.priority?.message}>
          <Select {...form.register("priority")}>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {requesters && (
        <Field
          label="Requester"
          error={errors.requesterId?.message}
          hint="File the ticket on behalf of someone; leave as yourself otherwise."
        >
          <Select {...form.register("requesterId")}>
            <option value="">Myself</option>
            {requesters.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.email})
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field
        label="Description"
        error={errors.description?.message}
        hint="What happened, what you expected, any error message. Markdown is supported."
      >
        <Textarea rows={8} maxLength={DESCRIPTION_MAX} {...form.register("description")} />
      </Field>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={() => router.back()} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          Submit ticket
        </Button>
      </div>
    </form>
  );
}
