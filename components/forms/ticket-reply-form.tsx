"use client";
import { useState } from "react";
import { AttachmentPicker } from "@/components/attachments/attachment-picker";
import { UploadsWaitNote } from "@/components/attachments/uploads-wait-note";
import { useMessageFiles } from "@/components/attachments/use-message-files";
import { useUploads } from "@/components/attachments/use-uploads";
import { errorText } from "@/components/attachments/upload-rules";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { LockIcon } from "@/components/tickets/lock-icon";
import type { AttachmentLimits } from "@/lib/attachments/schemas";
import { addInternalNoteAction, replyToTicketAction } from "@/lib/tickets/actions";
import { COMMENT_MAX, TicketCommentSchema } from "@/lib/tickets/schemas";
import { useActionForm } from "./use-action-form";

type Mode = "public" | "internal";

export type TicketReplyFormProps = {
  ticketId: string;
  /** Staff: shows the public / internal switch. */
  canNote: boolean;
  /** Shown before a pick; the upload route enforces them (attachmentLimits() on the page). */
  attachmentLimits: AttachmentLimits;
};

const MODES: { value: Mode; label: string; help: string }[] = [
  { value: "public", label: "Public reply", help: "The requester sees it." },
  { value: "internal", label: "Internal note", help: "Staff only." },
];

export function TicketReplyForm({ ticketId, canNote, attachmentLimits }: TicketReplyFormProps) {
  const [mode, setMode] = useState<Mode>("public");
  const uploads = useUploads(attachmentLimits);
  const internal = canNote && mode === "internal";
  const { form, onSubmit, pending, status } = useActionForm(
    TicketCommentSchema,
    internal ? addInternalNoteAction : replyToTicketAction,
    {
      defaultValues: { ticketId, body: "" },
      refresh: true,
      onSuccess: (_, form) => {
        form.reset({ ticketId, body: "" });
        uploads.reset();
        // The work goes on here: the focus returns to the box, not the top of the page.
        form.setFocus("body");
        return internal ? "Internal note added." : "Reply sent.";
      },
    },
  );
  const { errors } = form.formState;
  const { drop, waitId, submit } = useMessageFiles(form.setValue, uploads, onSubmit, pending);
  const blocked = pending || uploads.busy;

  return (
    <form
      method="post"
      onSubmit={submit}
      noValidate
      aria-label={internal ? "Internal note" : "Reply"}
      data-testid="reply-form"
      data-mode={internal ? "internal" : "public"}
      data-dragging={drop.dragging || undefined}
      {...drop.dropProps}
      className={cn(
        "space-y-4 rounded-lg border p-4 transition-colors sm:p-5",
        internal
          ? "border-amber-400 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/50"
          : "border-line bg-surface",
        drop.dragging && "outline-2 outline-offset-2 outline-primary outline-dashed",
      )}
    >
      {canNote && (
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-fg">Who can see this?</legend>
          <div className="grid grid-cols-2 gap-2" role="radiogroup">
            {MODES.map((m) => (
              <label
                key={m.value}
                className={cn(
                  "flex min-h-11 cursor-pointer flex-col justify-center rounded-md border px-3 py-2 text-sm",
                  "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
                  mode === m.value
                    ? m.value === "internal"
                      ? "border-amber-500 bg-amber-100 text-amber-950 dark:border-amber-600 dark:bg-amber-900/60 dark:text-amber-50"
                      : "border-primary bg-surface text-fg ring-1 ring-primary"
                    : "border-line-strong bg-surface text-fg-muted",
                )}
              >
                <input
                  type="radio"
                  name="visibility"
                  value={m.value}
                  checked={mode === m.value}
                  onChange={() => setMode(m.value)}
                  className="sr-only"
                  data-shortcut={m.value === "internal" ? "note-mode" : "reply-mode"}
                />
                <span className="font-semibold">{m.label}</span>
                <span className="text-xs">{m.help}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {internal && (
        <p
          className="flex items-center gap-2 text-sm font-semibold text-amber-900 dark:text-amber-200"
          data-testid="internal-warning"
        >
          <LockIcon /> Internal note — not visible to the requester
        </p>
      )}
      <FormMessage status={status} />
      <Field label={internal ? "Note" : "Message"} error={errors.body?.message}>
        <Textarea
          rows={5}
          maxLength={COMMENT_MAX}
          placeholder={internal ? "Only technicians and admins will see this." : undefined}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          data-shortcut="reply-box"
          onPaste={drop.onPaste}
          {...form.register("body")}
        />
      </Field>
      <AttachmentPicker
        uploads={uploads}
        disabled={pending}
        error={errorText(errors.attachmentIds)}
      />
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-end">
        <UploadsWaitNote id={waitId} busy={uploads.busy} />
        {internal ? (
          // Not the primary colour on purpose: the send button itself says "internal".
          <button
            type="submit"
            disabled={blocked}
            aria-busy={pending || undefined}
            aria-describedby={uploads.busy ? waitId : undefined}
            className="inline-flex min-h-11 w-full items-center justify-center gap-2 rounded-md bg-amber-700 px-4 text-sm font-medium text-white shadow-sm hover:bg-amber-800 disabled:opacity-60 sm:w-auto"
          >
            {pending ? <Spinner size="sm" label={null} /> : <LockIcon />}
            Add internal note
          </button>
        ) : (
          <Button
            type="submit"
            loading={pending}
            disabled={uploads.busy}
            aria-describedby={uploads.busy ? waitId : undefined}
            className="w-full sm:w-auto"
          >
            Send reply
          </Button>
        )}
      </div>
    </form>
  );
}
