// The ticket list's state lives entirely in the URL (bookmarkable, shareable). These helpers turn
// a parsed TicketListQuery back into a /tickets URL, changing a few fields at a time.
import { listQueryString, type ListState } from "@/lib/tickets/list-query";
import type { TicketQueue, TicketSort } from "@/lib/tickets/schemas";
import { OPEN_STATUSES } from "@/lib/tickets/status";

export type { ListState };

/**
 * /tickets with `state` and `changes` merged. The cursor is dropped unless `changes` sets one:
 * any other change starts again at the first page.
 */
export function listHref(state: ListState, changes: ListState = {}): string {
  const qs = listQueryString({ ...state, cursor: undefined, ...changes });
  return qs ? `/tickets?${qs}` : "/tickets";
}

/** Does the state narrow the list beyond the queue (for "clear filters" and empty states)? */
export function hasFilters(state: ListState): boolean {
  return Boolean(
    state.q ||
    state.status?.length ||
    state.priority?.length ||
    state.category?.length ||
    state.assignee ||
    state.requester ||
    state.sla ||
    state.createdFrom ||
    state.createdTo,
  );
}

export const QUEUE_LABELS: Record<TicketQueue, string> = {
  unassigned: "Unassigned",
  mine: "Assigned to me",
  waiting: "Waiting on us",
  "at-risk": "At risk and breached",
  open: "All open",
  resolved: "Recently resolved",
};

/**
 * Filters that can never match together, in words, for an empty list: "Unassigned" with an
 * assignee, an open-only queue with only closed statuses, a date range that ends before it starts.
 */
export function filterConflicts(state: ListState): string[] {
  const conflicts: string[] = [];
  const queue = state.queue ? `“${QUEUE_LABELS[state.queue]}”` : null;
  const openQueue = state.queue && state.queue !== "resolved";
  if (state.queue === "unassigned" && state.assignee && state.assignee !== "none") {
    conflicts.push(`${queue} lists tickets without an assignee, but an assignee is chosen.`);
  }
  if (state.queue === "mine" && state.assignee && state.assignee !== "me") {
    conflicts.push(`${queue} lists your tickets, but another assignee is chosen.`);
  }
  const statuses = state.status ?? [];
  if (statuses.length > 0) {
    const open = statuses.filter((s) => (OPEN_STATUSES as readonly string[]).includes(s));
    if (openQueue && open.length === 0) {
      conflicts.push(`${queue} lists open tickets, but only closed statuses are chosen.`);
    }
    if (state.queue === "resolved" && open.length === statuses.length) {
      conflicts.push(`${queue} lists resolved tickets, but only open statuses are chosen.`);
    }
  }
  if (state.sla && state.queue === "resolved") {
    conflicts.push(`${queue} lists resolved tickets, whose service-level clocks have stopped.`);
  }
  if (state.createdFrom && state.createdTo && state.createdFrom > state.createdTo) {
    conflicts.push("The “created from” date is after the “created to” date.");
  }
  return conflicts;
}

/** The table's sortable columns. Requester, category and assignee are not (see lib/tickets/search.ts). */
export const SORT_COLUMNS = ["number", "title", "priority", "status", "updated"] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** Each column's first click, and the order a second click switches to. */
const COLUMN_SORTS: Record<SortColumn, [TicketSort, TicketSort]> = {
  number: ["number-desc", "number-asc"],
  title: ["title-asc", "title-desc"],
  priority: ["priority", "priority-asc"],
  status: ["status-asc", "status-desc"],
  updated: ["updated", "updated-asc"],
};

const DIRECTION: Partial<Record<TicketSort, [SortColumn, "ascending" | "descending"]>> = {
  "number-desc": ["number", "descending"],
  "number-asc": ["number", "ascending"],
  // Ticket numbers follow creation: the created-at orders show as the number column's order.
  newest: ["number", "descending"],
  oldest: ["number", "ascending"],
  "title-asc": ["title", "ascending"],
  "title-desc": ["title", "descending"],
  priority: ["priority", "descending"],
  "priority-asc": ["priority", "ascending"],
  "status-asc": ["status", "ascending"],
  "status-desc": ["status", "descending"],
  updated: ["updated", "descending"],
  "updated-asc": ["updated", "ascending"],
};

export type ColumnSort = {
  href: string;
  /** For aria-sort: how the list is ordered by this column now, or "none". */
  current: "ascending" | "descending" | "none";
};

/** The header links of the sortable columns, given the order the list has now. */
export function columnSorts(state: ListState, effective: string): Record<SortColumn, ColumnSort> {
  const [activeColumn, direction] = DIRECTION[effective as TicketSort] ?? [null, null];
  const out = {} as Record<SortColumn, ColumnSort>;
  for (const column of SORT_COLUMNS) {
    const [first, second] = COLUMN_SORTS[column];
    const active = column === activeColumn;
    const next = active && DIRECTION[first]?.[1] === direction ? second : first;
    out[column] = {
      href: listHref(state, { sort: next }),
      current: active && direction ? direction : "none",
    };
  }
  return out;
}
