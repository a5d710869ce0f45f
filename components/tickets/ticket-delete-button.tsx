"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { FormError } from "@/components/ui/form-message";
import { deleteTicketAction } from "@/lib/tickets/actions";

/**
 * Admin soft-delete: the ticket disappears from every list and page; the audit trail keeps it
 * (and what it said). Two steps, so a stray tap on a phone deletes nothing.
 */
export function TicketDeleteButton({ ticketId, label }: { ticketId: string; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="space-y-2" data-testid="ticket-delete">
      <FormError message={error} />
      <ConfirmButton
        label="Delete ticket"
        confirmLabel="Delete"
        question={`Delete ${label}? It disappears for everyone; the audit log keeps it.`}
        variant="danger"
        pending={pending}
        onConfirm={() => {
          setError(null);
          startTransition(async () => {
            const result = await deleteTicketAction({ ticketId });
            if (result.ok) {
              router.push(`/tickets?deleted=${result.data.number}`);
              return;
            }
            setError(result.formError ?? "The ticket could not be deleted.");
          });
        }}
      />
    </div>
  );
}
