"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { createTicketAction } from "@/lib/tickets/actions";
import { TITLE_MAX, TicketCreateSchema } from "@/lib/tickets/schemas";
import { PRIORITY_LABELS, TICKET_PRIORITIES } from "@/lib/tickets/status";
import { CharCount } from "./char-count";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export type Option = { id: string; name: string };

export type TicketCreateFormProps = {
  categories: Option[];
  /** Staff only: people the ticket may be filed for; absent for users. */
  requesters?: (Option & { email: string })[];
  /** Staff may set a priority; users' tickets start at the default. */
  canSetPriority: boolean;
  /** "Report a follow-up" of a closed ticket: linked to the new one, prefilled title and text. */
  followUp?: { id: string; number: number; title: string };
};

/** The prefilled title of a follow-up: the old title when it still fits, else just the number. */
function followUpTitle(followUp: { number: number; title: string }): string {
  const title = `Follow-up: ${followUp.title}`;
  return title.length <= TITLE_MAX ? title : `Follow-up of #${followUp.number}`;
}

export function TicketCreateForm({
  categories,
  requesters,
  canSetPriority,
  followUp,
}: TicketCreateFormProps) {
  const router = useRouter();
  // A refusal keeps everything the person typed and shows why next to the fields.
  const { form, onSubmit, pending, status } = useActionForm(
    TicketCreateSchema,
    createTicketAction,
    {
      defaultValues: {
        title: followUp ? followUpTitle(followUp) : "",
        description: followUp
          ? `Follow-up of [#${followUp.number}](/tickets/${followUp.number}): what is wrong now?\n\n`
          : "",
        ...(followUp && { followUpOfId: followUp.id }),
        categoryId: "",
        ...(canSetPriority && { priority: "MEDIUM" }),
        ...(requesters && { requesterId: "" }),
      },
      onSuccess: (data) => router.push(`/tickets/${data.number}?created=1`),
    },
  );
  const { errors } = form.formState;
  const title = useWatch({ control: form.control, name: "title" }) ?? "";

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="New ticket">
      {followUp && (
        <p className="rounded-md border border-line bg-surface-muted p-3 text-sm wrap-anywhere">
          Follows up{" "}
          <Link href={`/tickets/${followUp.number}`} className="text-link underline">
            #{followUp.number} {followUp.title}
          </Link>
          . Both tickets will link to each other.
        </p>
      )}
      <Field
        label="Title"
        error={errors.title?.message}
        hint={
          <>
            A short summary of the problem. <CharCount value={title} max={TITLE_MAX} />
          </>
        }
        required
      >
        <Input autoComplete="off" {...form.register("title")} />
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
        <Textarea rows={8} {...form.register("description")} />
      </Field>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={() => router.back()} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          Submit ticket
        </Button>
      </div>
    </ActionForm>
  );
}
