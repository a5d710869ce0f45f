"use client";
import { useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { closeTicketAction, reopenTicketAction } from "@/lib/tickets/actions";
import type { TicketStatus } from "@/lib/tickets/status";

/** The requester's choice on a resolved ticket: accept the fix, or say it is not fixed. */
export function RequesterActions({
  ticketId,
  version,
  transitions,
}: {
  ticketId: string;
  version: number;
  transitions: TicketStatus[];
}) {
  const { run, pending, status } = useAction({ refresh: true });
  const [busy, setBusy] = useState<"close" | "reopen" | null>(null);

  function answer(kind: "close" | "reopen") {
    setBusy(kind);
    const action = kind === "close" ? closeTicketAction : reopenTicketAction;
    run(() => action({ ticketId, version }), {
      onSuccess: () => (kind === "close" ? "Ticket closed. Thank you!" : "Ticket reopened."),
    });
  }

  const canClose = transitions.includes("CLOSED");
  const canReopen = transitions.includes("OPEN");
  return (
    <div className="space-y-3" data-testid="requester-actions">
      <FormMessage status={status} />
      {(canClose || canReopen) && (
        <div className="rounded-lg border border-green-300 bg-green-50 p-4 dark:border-green-900 dark:bg-green-950/40">
          <p className="text-sm font-medium text-fg">
            The help desk marked this ticket resolved. Is the problem fixed?
          </p>
          <div className="mt-3 flex flex-col gap-2 sm:flex-row">
            {canClose && (
              <Button
                onClick={() => answer("close")}
                loading={pending && busy === "close"}
                disabled={pending}
              >
                Yes, close the ticket
              </Button>
            )}
            {canReopen && (
              <Button
                variant="secondary"
                onClick={() => answer("reopen")}
                loading={pending && busy === "reopen"}
                disabled={pending}
              >
                No, reopen it
              </Button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
