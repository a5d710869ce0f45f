"use client";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useAction } from "@/components/forms/use-action";
import { FormMessage } from "@/components/ui/form-message";
import { deleteTicketAction } from "@/lib/tickets/actions";

/**
 * Admin soft-delete: the ticket disappears from every list and page; the audit trail keeps it
 * (and what it said). Two steps, so a stray tap on a phone deletes nothing.
 */
export function TicketDeleteButton({ ticketId, label }: { ticketId: string; label: string }) {
  const router = useRouter();
  const { run, pending, status } = useAction();

  return (
    <div className="space-y-2" data-testid="ticket-delete">
      <FormMessage status={status} />
      <ConfirmButton
        label="Delete ticket"
        confirmLabel="Delete"
        question={`Delete ${label}? It disappears for everyone; the audit log keeps it.`}
        variant="danger"
        pending={pending}
        onConfirm={() =>
          run(() => deleteTicketAction({ ticketId }), {
            onSuccess: (data) => router.push(`/tickets?deleted=${data.number}`),
          })
        }
      />
    </div>
  );
}
