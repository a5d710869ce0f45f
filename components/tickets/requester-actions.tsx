"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError, FormSuccess } from "@/components/ui/form-message";
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
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState<"close" | "reopen" | null>(null);

  function run(kind: "close" | "reopen") {
    setError(null);
    setSuccess(null);
    setBusy(kind);
    startTransition(async () => {
      const action = kind === "close" ? closeTicketAction : reopenTicketAction;
      const result = await action({ ticketId, version });
      if (result.ok) {
        setSuccess(kind === "close" ? "Ticket closed. Thank you!" : "Ticket reopened.");
        router.refresh();
      } else {
        setError(result.formError ?? "The change was refused.");
      }
    });
  }

  const canClose = transitions.includes("CLOSED");
  const canReopen = transitions.includes("OPEN");
  return (
    <div className="space-y-3" data-testid="requester-actions">
      <FormError message={error} />
      <FormSuccess message={success} />
      {(canClose || canReopen) && (
        <div className="rounded-lg border border-green-300 bg-green-50 p-4 dark:border-green-900 dark:bg-green-950/40">
          <p className="text-sm font-medium text-fg">
            The help desk marked this ticket resolved. Is the problem fixed?
          </p>
          <div className="mt-3 flex flex-col gap-2 sm:flex-row">
            {canClose && (
              <Button
                onClick={() => run("close")}
                loading={pending && busy === "close"}
                disabled={pending}
              >
                Yes, close the ticket
              </Button>
            )}
            {canReopen && (
              <Button
                variant="secondary"
                onClick={() => run("reopen")}
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
