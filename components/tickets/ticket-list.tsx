"use client";
import Link from "next/link";
import { useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormMessage } from "@/components/ui/form-message";
import { Select } from "@/components/ui/select";
import { bulkAssignTicketsAction, bulkChangeTicketStatusAction } from "@/lib/tickets/actions";
import type { TicketListItem } from "@/lib/tickets/queries";
import { STATUS_LABELS, TICKET_STATUSES, formatTicketNumber } from "@/lib/tickets/status";
import { formatDateTime, isoDate } from "./format";
import type { SnippetPart } from "./snippet";
import { PriorityBadge, StatusBadge } from "./ticket-badges";

export type TicketRowData = TicketListItem & {
  /** Changed by someone else since the viewer last opened it. */
  unread?: boolean;
  snippet?: SnippetPart[];
  /** Staff: the list filtered to this requester. */
  requesterHref?: string;
};

type Option = { id: string; name: string };

export type TicketListProps = {
  items: TicketRowData[];
  /** Staff: checkboxes and the bulk bar. */
  bulk?: { staff: Option[]; viewerId: string };
  showPeople: boolean;
};

export function TicketList({ items, bulk, showPeople }: TicketListProps) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const visible = items.filter((t) => selected.has(t.id)).map((t) => t.id);
  const all = items.length > 0 && visible.length === items.length;

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="space-y-3">
      {bulk && (
        <BulkBar
          selectedIds={visible}
          allSelected={all}
          onToggleAll={() => setSelected(all ? new Set() : new Set(items.map((t) => t.id)))}
          onDone={() => setSelected(new Set())}
          {...bulk}
        />
      )}
      <ul
        className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-surface"
        data-testid="ticket-list"
      >
        {items.map((ticket) => (
          <li
            key={ticket.id}
            className="flex gap-3 px-3 py-3 sm:px-4"
            data-testid="ticket-row"
            data-ticket-row
          >
            {bulk && (
              <label className="-my-1 -ml-1 flex min-h-11 min-w-11 shrink-0 cursor-pointer items-start justify-center pt-2.5">
                <input
                  type="checkbox"
                  className="size-5 accent-primary"
                  checked={selected.has(ticket.id)}
                  onChange={() => toggle(ticket.id)}
                  aria-label={`Select ${formatTicketNumber(ticket.number)}`}
                />
              </label>
            )}
            <TicketRow ticket={ticket} showPeople={showPeople} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function TicketRow({ ticket, showPeople }: { ticket: TicketRowData; showPeople: boolean }) {
  return (
    <div className="min-w-0 flex-1 space-y-1.5">
      <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
        <Link
          href={`/tickets/${ticket.number}`}
          className={cn(
            "-my-2 min-w-0 flex-1 basis-60 py-2 wrap-anywhere text-fg hover:text-link hover:underline",
            ticket.unread ? "font-bold" : "font-medium",
          )}
          data-unread={ticket.unread ? "true" : undefined}
        >
          {ticket.unread && (
            <>
              <span
                aria-hidden="true"
                className="mr-1.5 inline-block size-2 rounded-full bg-primary align-middle"
              />
              <span className="sr-only">Unread: </span>
            </>
          )}
          <span className="text-fg-muted">{formatTicketNumber(ticket.number)}</span> {ticket.title}
        </Link>
        <div className="flex shrink-0 flex-wrap gap-1.5">
          <StatusBadge status={ticket.status} audience={showPeople ? "staff" : "requester"} />
          <PriorityBadge priority={ticket.priority} />
        </div>
      </div>
      {ticket.snippet && ticket.snippet.length > 0 && (
        <p className="line-clamp-2 text-sm break-words text-fg-muted" data-testid="snippet">
          {ticket.snippet.map((part, i) =>
            part.hit ? (
              <mark key={i} className="rounded bg-yellow-200 px-0.5 text-fg dark:bg-yellow-700/60">
                {part.text}
              </mark>
            ) : (
              <span key={i}>{part.text}</span>
            ),
          )}
        </p>
      )}
      <p className="flex flex-wrap gap-x-2 gap-y-0.5 text-xs text-fg-muted">
        <span>{ticket.category.name}</span>
        {showPeople && (
          <>
            <span aria-hidden="true">·</span>
            <span>
              From{" "}
              {ticket.requesterHref ? (
                <Link href={ticket.requesterHref} className="underline-offset-2 hover:underline">
                  {ticket.requester.name}
                </Link>
              ) : (
                ticket.requester.name
              )}
            </span>
            <span aria-hidden="true">·</span>
            <span>{ticket.assignee ? `Assigned to ${ticket.assignee.name}` : "Unassigned"}</span>
          </>
        )}
        <span aria-hidden="true">·</span>
        <span>
          Updated{" "}
          <time dateTime={isoDate(ticket.updatedAt)}>{formatDateTime(ticket.updatedAt)}</time>
        </span>
      </p>
    </div>
  );
}

function BulkBar({
  selectedIds,
  allSelected,
  onToggleAll,
  onDone,
  staff,
  viewerId,
}: {
  selectedIds: string[];
  allSelected: boolean;
  onToggleAll: () => void;
  onDone: () => void;
  staff: Option[];
  viewerId: string;
}) {
  const { run, pending, status: message, setStatus: setMessage } = useAction({ refresh: true });
  const [assignee, setAssignee] = useState(viewerId);
  const [status, setStatus] = useState("");
  const count = selectedIds.length;

  function apply(kind: "assign" | "status") {
    run(
      async () =>
        kind === "assign"
          ? await bulkAssignTicketsAction({ ticketIds: selectedIds, assigneeId: assignee })
          : await bulkChangeTicketStatusAction({ ticketIds: selectedIds, status }),
      {
        onSuccess: ({ updated, skipped }) => {
          const skippedText = skipped
            .map((s) => `${s.number ? formatTicketNumber(s.number) : "a ticket"}: ${s.reason}`)
            .join(" ");
          const text =
            `Updated ${updated.length} ticket${updated.length === 1 ? "" : "s"}.` +
            (skipped.length ? ` Skipped ${skipped.length}: ${skippedText}` : "");
          onDone();
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
        <label className="flex min-h-11 cursor-pointer items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            className="size-5 accent-primary"
            checked={allSelected}
            onChange={onToggleAll}
          />
          Select all on this page
        </label>
        <span className="text-sm text-fg-muted" aria-live="polite">
          {count} selected
        </span>
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
                value={status}
                onChange={(e) => setStatus(e.target.value)}
              >
                <option value="" disabled>
                  Set status…
                </option>
                {TICKET_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]}
                  </option>
                ))}
              </Select>
            </div>
            <Button
              variant="secondary"
              loading={pending}
              disabled={!status}
              onClick={() => apply("status")}
            >
              Apply
            </Button>
          </div>
        </div>
      )}
      <FormMessage status={message} />
    </section>
  );
}
