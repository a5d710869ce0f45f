"use client";
import Link from "next/link";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import type { TicketListItem } from "@/lib/tickets/queries";
import { formatTicketNumber } from "@/lib/tickets/status";
import { Time } from "@/components/ui/time";
import type { TimeText } from "@/lib/dates";
import type { ListDensity } from "@/lib/tickets/schemas";
import { BulkBar } from "./bulk-bar";
import type { ColumnSort, SortColumn } from "./list-url";
import type { SnippetPart } from "./snippet";
import type { SlaBadgeData } from "@/lib/sla/format";
import { SlaBadge } from "./sla-badge";
import { PriorityBadge, StatusBadge } from "./ticket-badges";

export type TicketRowData = Omit<TicketListItem, "slaDueAt" | "slaWarnAt" | "slaPausedAt"> & {
  /** Staff: the earliest SLA due time as a badge (lib/sla/format.ts); never sent to requesters. */
  due?: SlaBadgeData | null;
  /** Changed by someone else since the viewer last opened it. */
  unread?: boolean;
  snippet?: SnippetPart[];
  /** Staff: the list filtered to this requester. */
  requesterHref?: string;
  /** Last update, written by the server in the viewer's zone (lib/dates.ts). */
  updated: TimeText;
};

type Option = { id: string; name: string };

export type TicketListProps = {
  items: TicketRowData[];
  /** Staff: checkboxes and the bulk bar. */
  bulk?: { staff: Option[]; viewerId: string };
  showPeople: boolean;
  /** Header links of the sortable columns (absent: the list has a fixed order). */
  sorts?: Record<SortColumn, ColumnSort>;
  density: ListDensity;
};

/**
 * The ticket table: a dense, sortable table on wider screens, one card per ticket on phones (the
 * same rows, laid out by CSS; explicit ARIA roles keep the table semantics in both).
 * Markup contract (keyboard navigation, tests): every ticket is a `tr[data-ticket-row]` with
 * `data-ticket-number`; its primary link, the title, is `a[data-row-link]` (one tab stop per row).
 */
export function TicketList({ items, bulk, showPeople, sorts, density }: TicketListProps) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const visible = items.filter((t) => selected.has(t.id)).map((t) => t.id);
  const all = items.length > 0 && visible.length === items.length;
  const compact = density === "compact";

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const cell = cn("px-2 align-middle sm:first:pl-3", compact ? "sm:py-1" : "sm:py-2.5");
  const head =
    "px-2 py-2 text-left text-xs font-semibold text-fg-muted max-sm:w-auto sm:first:pl-3";

  return (
    <div className="space-y-3">
      {bulk && (
        <BulkBar
          // The selection stays after an action (the next action often concerns the same tickets).
          selected={items.filter((t) => selected.has(t.id))}
          onClear={() => setSelected(new Set())}
          {...bulk}
        />
      )}
      <div className="overflow-x-auto rounded-lg border border-line bg-surface">
        <table
          role="table"
          className="w-full border-collapse text-sm max-sm:block sm:min-w-[48rem] sm:table-fixed"
          data-testid="ticket-list"
          data-density={density}
        >
          <thead
            role="rowgroup"
            className={cn(
              "border-b border-line bg-surface-muted max-sm:block",
              // On phones only the select-all box and the sort chips show: without them, no row.
              !bulk && !sorts && "max-sm:hidden",
            )}
          >
            <tr
              role="row"
              className="max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-1 max-sm:px-1"
            >
              {bulk && (
                <th role="columnheader" scope="col" className={cn(head, "w-11 max-sm:block")}>
                  <label className="flex min-h-11 min-w-11 cursor-pointer items-center justify-center gap-2 max-sm:justify-start max-sm:px-2 sm:min-h-0 sm:min-w-0">
                    <input
                      type="checkbox"
                      className="size-4 accent-primary max-sm:size-5"
                      checked={all}
                      onChange={() =>
                        setSelected(all ? new Set() : new Set(items.map((t) => t.id)))
                      }
                      aria-label="Select all on this page"
                    />
                    <span className="text-sm font-medium text-fg sm:hidden" aria-hidden="true">
                      All
                    </span>
                  </label>
                </th>
              )}
              <SortHeader
                label="Number"
                short="#"
                sort={sorts?.number}
                className={cn(head, "w-20")}
              />
              <SortHeader label="Title" sort={sorts?.title} className={head} />
              {showPeople && <PlainHeader label="Requester" className={cn(head, "w-32")} />}
              <PlainHeader label="Category" className={cn(head, "w-32")} />
              <SortHeader label="Priority" sort={sorts?.priority} className={cn(head, "w-24")} />
              <SortHeader label="Status" sort={sorts?.status} className={cn(head, "w-44")} />
              {showPeople && <PlainHeader label="Assignee" className={cn(head, "w-32")} />}
              <SortHeader label="Updated" sort={sorts?.updated} className={cn(head, "w-28")} />
            </tr>
          </thead>
          <tbody role="rowgroup" className="divide-y divide-line max-sm:block">
            {items.map((ticket) => (
              <tr
                key={ticket.id}
                role="row"
                className={cn(
                  "hover:bg-surface-muted/60 max-sm:relative max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-2 max-sm:gap-y-1 max-sm:py-3 max-sm:pr-3",
                  bulk ? "max-sm:pl-12" : "max-sm:pl-3",
                  selected.has(ticket.id) && "bg-primary/5",
                )}
                data-testid="ticket-row"
                data-ticket-row=""
                data-ticket-number={ticket.number}
                data-unread={ticket.unread ? "true" : undefined}
              >
                {bulk && (
                  <td
                    role="cell"
                    className={cn(cell, "max-sm:absolute max-sm:top-2 max-sm:left-1")}
                  >
                    <label className="-my-1 flex min-h-11 min-w-11 cursor-pointer items-center justify-center sm:my-0 sm:min-h-0 sm:min-w-0">
                      <input
                        type="checkbox"
                        className="size-4 accent-primary max-sm:size-5"
                        checked={selected.has(ticket.id)}
                        onChange={() => toggle(ticket.id)}
                        aria-label={`Select ${formatTicketNumber(ticket.number)}`}
                      />
                    </label>
                  </td>
                )}
                <td
                  role="cell"
                  className={cn(
                    cell,
                    "font-mono text-xs whitespace-nowrap text-fg-muted max-sm:p-0",
                  )}
                >
                  {formatTicketNumber(ticket.number)}
                </td>
                <td
                  role="cell"
                  className={cn(cell, "min-w-0 max-sm:order-1 max-sm:basis-full max-sm:p-0")}
                >
                  <TitleCell ticket={ticket} compact={compact} />
                </td>
                {showPeople && (
                  <td
                    role="cell"
                    className={cn(cell, "truncate max-sm:order-2 max-sm:p-0 max-sm:text-xs")}
                  >
                    <span className="sr-only sm:hidden">From </span>
                    {ticket.requesterHref ? (
                      <Link
                        href={ticket.requesterHref}
                        className="underline-offset-2 hover:underline"
                        title={`Tickets of ${ticket.requester.name}`}
                      >
                        {ticket.requester.name}
                      </Link>
                    ) : (
                      ticket.requester.name
                    )}
                  </td>
                )}
                <td
                  role="cell"
                  className={cn(
                    cell,
                    "truncate text-fg-muted max-sm:order-2 max-sm:p-0 max-sm:text-xs",
                  )}
                >
                  {ticket.category.name}
                </td>
                <td role="cell" className={cn(cell, "max-sm:p-0")}>
                  <PriorityBadge priority={ticket.priority} />
                </td>
                <td role="cell" className={cn(cell, "max-sm:p-0")}>
                  {/* The SLA badge (staff) sits under the status: no extra column at 1280 px. */}
                  <span className="flex flex-wrap items-center gap-1">
                    <StatusBadge
                      status={ticket.status}
                      audience={showPeople ? "staff" : "requester"}
                    />
                    {ticket.due && <SlaBadge badge={ticket.due} />}
                  </span>
                </td>
                {showPeople && (
                  <td
                    role="cell"
                    className={cn(cell, "truncate max-sm:order-2 max-sm:p-0 max-sm:text-xs")}
                  >
                    {ticket.assignee ? (
                      <>
                        <span className="sr-only sm:hidden">Assigned to </span>
                        {ticket.assignee.name}
                      </>
                    ) : (
                      <span className="text-fg-muted">Unassigned</span>
                    )}
                  </td>
                )}
                <td
                  role="cell"
                  className={cn(
                    cell,
                    "whitespace-nowrap text-fg-muted max-sm:order-2 max-sm:p-0 max-sm:text-xs",
                  )}
                >
                  <span className="sm:sr-only">Updated </span>
                  <Time value={ticket.updated} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PlainHeader({ label, className }: { label: string; className: string }) {
  return (
    <th role="columnheader" scope="col" className={cn(className, "max-sm:hidden")}>
      {label}
    </th>
  );
}

/** A column header; a link that sorts by the column (again: the other way) when sortable. */
function SortHeader({
  label,
  short,
  sort,
  className,
}: {
  label: string;
  short?: string;
  sort?: ColumnSort;
  className: string;
}) {
  if (!sort) return <PlainHeader label={short ?? label} className={className} />;
  const arrow = sort.current === "ascending" ? "↑" : sort.current === "descending" ? "↓" : "";
  return (
    <th
      role="columnheader"
      scope="col"
      aria-sort={sort.current}
      className={cn(className, "max-sm:block max-sm:p-0")}
    >
      <Link
        href={sort.href}
        scroll={false}
        className={cn(
          "inline-flex items-center gap-1 rounded hover:text-fg hover:underline max-sm:my-1 max-sm:min-h-9 max-sm:rounded-full max-sm:border max-sm:border-line max-sm:bg-surface max-sm:px-3 pointer-coarse:max-sm:min-h-11",
          sort.current !== "none" && "text-fg",
        )}
        data-sort-column={label.toLowerCase()}
      >
        <span className="sr-only sm:hidden">Sort by </span>
        {short ? (
          <>
            <span aria-hidden="true" className="max-sm:hidden">
              {short}
            </span>
            <span className="sr-only max-sm:not-sr-only">{label}</span>
          </>
        ) : (
          label
        )}
        {arrow && <span aria-hidden="true">{arrow}</span>}
      </Link>
    </th>
  );
}

function TitleCell({ ticket, compact }: { ticket: TicketRowData; compact: boolean }) {
  return (
    <div className="min-w-0">
      <Link
        href={`/tickets/${ticket.number}`}
        className={cn(
          "block text-fg hover:text-link hover:underline max-sm:[overflow-wrap:anywhere]",
          compact ? "sm:truncate" : "sm:line-clamp-2 sm:[overflow-wrap:anywhere]",
          ticket.unread ? "font-bold" : "font-medium",
        )}
        title={ticket.title}
        data-row-link=""
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
        {ticket.title}
      </Link>
      {ticket.snippet && ticket.snippet.length > 0 && (
        <p
          className="mt-0.5 line-clamp-2 text-xs [overflow-wrap:anywhere] text-fg-muted"
          data-testid="snippet"
        >
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
    </div>
  );
}
