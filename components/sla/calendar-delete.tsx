"use client";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/forms/use-action";
import { deleteCalendarAction } from "@/lib/sla/actions";

/** Deleting a calendar no policy uses (the server checks again). */
export function CalendarDelete({
  id,
  name,
  policyCount,
}: {
  id: string;
  name: string;
  policyCount: number;
}) {
  const router = useRouter();
  const { run, pending, status } = useAction();
  if (policyCount > 0) {
    return (
      <p className="text-sm text-fg-muted">
        Used by {policyCount === 1 ? "a policy" : `${policyCount} policies`}: it can be deleted once
        no policy uses it.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <FormMessage status={status} />
      <ConfirmButton
        label="Delete calendar"
        confirmLabel={`Delete ${name}`}
        question="Delete this calendar and its holidays?"
        variant="danger"
        pending={pending}
        onConfirm={() =>
          run(() => deleteCalendarAction({ calendarId: id }), {
            onSuccess: () => router.push("/admin/service-levels"),
          })
        }
      />
    </div>
  );
}
