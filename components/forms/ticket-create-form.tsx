"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { createTicketAction } from "@/lib/tickets/actions";
import { DESCRIPTION_MAX, TITLE_MAX, TicketCreateSchema } from "@/lib/tickets/schemas";
import { PRIORITY_LABELS, TICKET_PRIORITIES } from "@/lib/tickets/status";
import { useActionForm } from "./use-action-form";

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
  // A refusal keeps everything the person typed and shows why next to the fields.
  const { form, onSubmit, pending, status } = useActionForm(
    TicketCreateSchema,
    createTicketAction,
    {
      defaultValues: {
        title: "",
        description: "",
        categoryId: "",
        ...(canSetPriority && { priority: "MEDIUM" }),
        ...(requesters && { requesterId: "" }),
      },
      onSuccess: (data) => router.push(`/tickets/${data.number}?created=1`),
    },
  );
  const { errors } = form.formState;

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label="New ticket"
    >
      <FormMessage status={status} />
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
