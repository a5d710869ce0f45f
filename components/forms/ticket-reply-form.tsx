"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { LockIcon } from "@/components/tickets/lock-icon";
import { addInternalNoteAction, replyToTicketAction } from "@/lib/tickets/actions";
import { COMMENT_MAX, TicketCommentSchema } from "@/lib/tickets/schemas";
import { useActionForm } from "./use-action-form";

type Mode = "public" | "internal";

export type TicketReplyFormProps = {
  ticketId: string;
  /** Staff: shows the public / internal switch. */
  canNote: boolean;
};

const MODES: { value: Mode; label: string; help: string }[] = [
  { value: "public", label: "Public reply", help: "The requester sees it." },
  { value: "internal", label: "Internal note", help: "Staff only." },
];

export function TicketReplyForm({ ticketId, canNote }: TicketReplyFormProps) {
  const [mode, setMode] = useState<Mode>("public");
  const internal = canNote && mode === "internal";
  const { form, onSubmit, pending, status } = useActionForm(
    TicketCommentSchema,
    internal ? addInternalNoteAction : replyToTicketAction,
    {
      defaultValues: { ticketId, body: "" },
      refresh: true,
      onSuccess: (_, form) => {
        form.reset({ ticketId, body: "" });
        // The work goes on here: the focus returns to the box, not the top of the page.
        form.setFocus("body");
        return internal ? "Internal note added." : "Reply sent.";
      },
    },
  );
  const { errors } = form.formState;

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      aria-label={internal ? "Internal note" : "Reply"}
      data-testid="reply-form"
      data-mode={internal ? "internal" : "public"}
      className={cn(
        "space-y-4 rounded-lg border p-4 transition-colors sm:p-5",
        internal
          ? "border-amber-400 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/50"
          : "border-line bg-surface",
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
          {...form.register("body")}
        />
      </Field>
      <div className="flex justify-end">
        {internal ? (
          // Not the primary colour on purpose: the send button itself says "internal".
          <button
            type="submit"
            disabled={pending}
            aria-busy={pending || undefined}
            className="inline-flex min-h-11 w-full items-center justify-center gap-2 rounded-md bg-amber-700 px-4 text-sm font-medium text-white shadow-sm hover:bg-amber-800 disabled:opacity-60 sm:w-auto"
          >
            {pending ? <Spinner size="sm" label={null} /> : <LockIcon />}
            Add internal note
          </button>
        ) : (
          <Button type="submit" loading={pending} className="w-full sm:w-auto">
            Send reply
          </Button>
        )}
      </div>
    </form>
  );
}
