"use client";
import { useRef, useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Textarea } from "@/components/ui/textarea";
import { closeTicketAction, reopenTicketAction } from "@/lib/tickets/actions";
import { TicketReopenSchema } from "@/lib/tickets/schemas";
import type { TicketStatus } from "@/lib/tickets/status";

/**
 * The requester's answer on a resolved ticket (issue 11 §5): "Yes, it's fixed" closes it, "No, it
 * still happens" asks what is still wrong and sends that as the reply that reopens it (one
 * action). The two answers carry the same visual weight: neither is the "default".
 */
export function RequesterActions({
  ticketId,
  version,
  transitions,
}: {
  ticketId: string;
  version: number;
  transitions: TicketStatus[];
}) {
  const close = useAction({ refresh: true });
  const [stillWrong, setStillWrong] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement | null>(null);
  const reopen = useActionForm(TicketReopenSchema, reopenTicketAction, {
    values: { ticketId, version, body: "" },
    resetOptions: { keepDirtyValues: true },
    refresh: true,
    onSuccess: (_, form) => {
      form.reset({ ticketId, version, body: "" });
      setStillWrong(false);
      return "Ticket reopened. The help desk will read your reply.";
    },
  });
  const { ref: registerRef, ...bodyField } = reopen.form.register("body");
  const pending = close.pending || reopen.pending;

  const canClose = transitions.includes("CLOSED");
  const canReopen = transitions.includes("OPEN");
  const answer = "flex-1 sm:min-w-0";
  return (
    <div className="space-y-3" data-testid="requester-actions">
      <FormMessage
        status={reopen.status.error || reopen.status.success ? reopen.status : close.status}
      />
      {(canClose || canReopen) && (
        <section
          aria-labelledby="resolution-heading"
          className="space-y-3 rounded-lg border border-green-300 bg-green-50 p-4 dark:border-green-900 dark:bg-green-950/40"
        >
          <h2 id="resolution-heading" className="text-sm font-medium text-fg">
            The help desk marked this ticket resolved. Is the problem fixed?
          </h2>
          <div className="flex flex-col gap-2 sm:flex-row">
            {canClose && (
              <Button
                variant="secondary"
                className={answer}
                onClick={() =>
                  close.run(() => closeTicketAction({ ticketId, version }), {
                    onSuccess: () => "Ticket closed. Thank you!",
                  })
                }
                loading={close.pending}
                disabled={pending}
              >
                Yes, it&apos;s fixed
              </Button>
            )}
            {canReopen && (
              <Button
                variant="secondary"
                className={answer}
                aria-expanded={stillWrong}
                aria-controls="still-wrong-form"
                disabled={pending}
                onClick={() => {
                  setStillWrong(true);
                  // The next thing to do is to say what is wrong: the focus goes there.
                  requestAnimationFrame(() => textareaRef.current?.focus());
                }}
              >
                No, it still happens
              </Button>
            )}
          </div>
          {canReopen && stillWrong && (
            <form
              id="still-wrong-form"
              method="post"
              onSubmit={reopen.onSubmit}
              noValidate
              aria-label="What is still wrong"
              className="space-y-3"
            >
              <Field
                label="What is still wrong?"
                hint="Your answer is sent to the help desk as a reply, and the ticket is reopened."
                error={reopen.form.formState.errors.body?.message}
                required
              >
                <Textarea
                  rows={4}
                  {...bodyField}
                  ref={(element) => {
                    registerRef(element);
                    textareaRef.current = element;
                  }}
                />
              </Field>
              <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
                <Button
                  variant="secondary"
                  disabled={reopen.pending}
                  onClick={() => setStillWrong(false)}
                >
                  Cancel
                </Button>
                <Button type="submit" loading={reopen.pending}>
                  Send and reopen
                </Button>
              </div>
            </form>
          )}
        </section>
      )}
    </div>
  );
}
