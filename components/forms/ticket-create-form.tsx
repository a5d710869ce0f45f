"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useWatch } from "react-hook-form";
import { AttachmentPicker } from "@/components/attachments/attachment-picker";
import { UploadsWaitNote } from "@/components/attachments/uploads-wait-note";
import { useMessageFiles } from "@/components/attachments/use-message-files";
import { useUploads } from "@/components/attachments/use-uploads";
import { errorText } from "@/components/attachments/upload-rules";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { AttachmentLimits } from "@/lib/attachments/schemas";
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
  /** Shown before a pick; the upload route enforces them (attachmentLimits() on the page). */
  attachmentLimits: AttachmentLimits;
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
  attachmentLimits,
}: TicketCreateFormProps) {
  const router = useRouter();
  const uploads = useUploads(attachmentLimits);
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
      onSuccess: (data) => {
        uploads.reset();
        router.push(`/tickets/${data.number}?created=1`);
      },
    },
  );
  const { drop, waitId, submit } = useMessageFiles(form.setValue, uploads, onSubmit, pending);
  const { errors } = form.formState;
  const title = useWatch({ control: form.control, name: "title" }) ?? "";

  return (
    <ActionForm
      onSubmit={submit}
      status={status}
      className={cn(
        "space-y-5 rounded-md",
        drop.dragging && "outline-2 outline-offset-4 outline-primary outline-dashed",
      )}
      label="New ticket"
      data-dragging={drop.dragging || undefined}
      {...drop.dropProps}
    >
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
        <Textarea rows={8} onPaste={drop.onPaste} {...form.register("description")} />
      </Field>
      <AttachmentPicker
        uploads={uploads}
        disabled={pending}
        error={errorText(errors.attachmentIds)}
      />
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:items-center sm:justify-end">
        <UploadsWaitNote id={waitId} busy={uploads.busy} />
        <Button variant="secondary" onClick={() => router.back()} disabled={pending}>
          Cancel
        </Button>
        <Button
          type="submit"
          loading={pending}
          disabled={uploads.busy}
          aria-describedby={uploads.busy ? waitId : undefined}
        >
          Submit ticket
        </Button>
      </div>
    </ActionForm>
  );
}
