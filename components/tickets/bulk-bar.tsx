"use client";
import { useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Select } from "@/components/ui/select";
import { plural } from "@/lib/dates";
import { bulkAssignTicketsAction, bulkChangeTicketStatusAction } from "@/lib/tickets/actions";
import {
  STATUS_LABELS,
  commonTransitions,
  formatTicketNumber,
  type TicketStatus,
} from "@/lib/tickets/status";

type Option = { id: string; name: string };
/** A ticket a bulk action left as it was (lib/tickets/bulk.ts BulkResult). */
type Skipped = { id: string; number: number | null; reason: string };

/** The bar is shown to staff with "ticket:triage" only; the server re-checks every move. */
const TRIAGER = { role: "TECHNICIAN", isRequester: false } as const;

export type BulkBarProps = {
  /** The selected tickets on this page (the selection is kept after an action). */
  selected: { id: string; number: number; status: TicketStatus }[];
  /** Empties the selection ("select all" is the table header's checkbox). */
  onClear: () => void;
  staff: Option[];
  viewerId: string;
};

/**
 * Bulk assign and bulk status. Only the status moves allowed from every selected ticket's status
 * are offered (commonTransitions); tickets a move still cannot take (no assignee for "In
 * progress", changed meanwhile, …) are skipped and listed by number with the reason.
 */
export function BulkBar({ selected, onClear, staff, viewerId }: BulkBarProps) {
  const { run, pending, status: message, setStatus: setMessage } = useAction({ refresh: true });
  const [assignee, setAssignee] = useState(viewerId);
  const [status, setStatus] = useState("");
  const [skipped, setSkipped] = useState<Skipped[]>([]);
  const count = selected.length;
  const ids = selected.map((t) => t.id);
  const moves = commonTransitions(
    TRIAGER,
    selected.map((t) => t.status),
  );
  const chosen = moves.includes(status as TicketStatus) ? status : "";
  // Shown only while something is selected, or to say how the last action went.
  if (count === 0 && !message.error && !message.success && skipped.length === 0) return null;

  function apply(kind: "assign" | "status") {
    setSkipped([]);
    run(
      async () =>
        kind === "assign"
          ? await bulkAssignTicketsAction({ ticketIds: ids, assigneeId: assignee })
          : await bulkChangeTicketStatusAction({ ticketIds: ids, status: chosen }),
      {
        onSuccess: ({ updated, skipped }) => {
          setSkipped(skipped);
          const text =
            `Updated ${plural(updated.length, "ticket")}.` +
            (skipped.length ? ` Skipped ${skipped.length}:` : "");
          // Nothing updated is a refusal, said as one.
          if (updated.length > 0) return text;
          setMessage({ error: text, success: null });
        },
      },
    );
  }

  return (
    <section
      aria-label="Bulk actions"
      className="space-y-3 rounded-lg border border-line bg-surface-muted p-3"
      data-testid="bulk-bar"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <span className="text-sm font-medium" aria-live="polite">
          {count} selected
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setMessage({ error: null, success: null });
            setSkipped([]);
            onClear();
          }}
        >
          Clear selection
        </Button>
      </div>
      {count > 0 && (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="flex gap-2">
            <div className="min-w-0 flex-1">
              <Select
                aria-label="Assign selected to"
                value={assignee}
                onChange={(e) => setAssignee(e.target.value)}
              >
                <option value="">Unassign</option>
                {staff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id === viewerId ? `${s.name} (me)` : s.name}
                  </option>
                ))}
              </Select>
            </div>
            <Button variant="secondary" loading={pending} onClick={() => apply("assign")}>
              Assign
            </Button>
          </div>
          <div className="flex gap-2">
            <div className="min-w-0 flex-1">
              <Select
                aria-label="Set status of selected"
                value={chosen}
                onChange={(e) => setStatus(e.target.value)}
                disabled={moves.length === 0}
              >
                <option value="" disabled>
                  {moves.length === 0 ? "No status change fits all selected" : "Set status…"}
                </option>
                {moves.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]}
                  </option>
                ))}
              </Select>
            </div>
            <Button
              variant="secondary"
              loading={pending}
              disabled={!chosen}
              onClick={() => apply("status")}
            >
              Apply
            </Button>
          </div>
        </div>
      )}
      <FormMessage status={message} />
      {skipped.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-sm text-fg" data-testid="bulk-skipped">
          {skipped.map((s) => (
            <li key={s.id}>
              {s.number ? formatTicketNumber(s.number) : "A ticket no longer visible"}: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
