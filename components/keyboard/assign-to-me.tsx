"use client";
import { useEffect, useRef } from "react";
import { useAction } from "@/components/forms/use-action";
import { FormMessage } from "@/components/ui/form-message";
import { triageTicketAction } from "@/lib/tickets/actions";
import { ASSIGN_TO_ME_EVENT } from "./keys";

/**
 * "a" on a ticket page: assign it to me through the triage action, as "Take it" does (with the
 * version the page shows, so a stale page is refused like any stale edit). Says what happened in
 * a live region; the focus stays where it was.
 */
export function AssignToMeShortcut({
  ticketId,
  version,
  assignedToMe,
  viewerId,
}: {
  ticketId: string;
  version: number;
  assignedToMe: boolean;
  viewerId: string;
}) {
  const { run, pending, status, setStatus } = useAction({ refresh: true });
  const latest = useRef({ ticketId, version, assignedToMe, pending, viewerId });
  useEffect(() => {
    latest.current = { ticketId, version, assignedToMe, pending, viewerId };
  });

  useEffect(() => {
    function onAssign() {
      const { ticketId, version, assignedToMe, pending, viewerId } = latest.current;
      if (pending) return;
      if (assignedToMe) {
        setStatus({ error: null, success: "This ticket is already assigned to you." });
        return;
      }
      run(() => triageTicketAction({ ticketId, version, assigneeId: viewerId }), {
        onSuccess: () => "You took this ticket.",
      });
    }
    window.addEventListener(ASSIGN_TO_ME_EVENT, onAssign);
    return () => window.removeEventListener(ASSIGN_TO_ME_EVENT, onAssign);
  }, [run, setStatus]);

  return (
    <div data-testid="assign-shortcut-message">
      <FormMessage status={status} />
    </div>
  );
}
