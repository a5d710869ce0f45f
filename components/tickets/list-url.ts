// The ticket list's state lives entirely in the URL (bookmarkable, shareable). These helpers turn
// a parsed TicketListQuery back into a /tickets URL, changing a few fields at a time.
import type { TicketListQuery, TicketQueue } from "@/lib/tickets/schemas";
import { OPEN_STATUSES } from "@/lib/tickets/status";

export type ListState = Partial<TicketListQuery>;

const ORDER: (keyof TicketListQuery)[] = [
  "queue",
  "q",
  "status",
  "priority",
  "category",
  "assignee",
  "requester",
  "createdFrom",
  "createdTo",
  "sort",
  "limit",
  "cursor",
];

/**
 * /tickets with `state` and `changes` merged. The cursor is dropped unless `changes` sets one:
 * any other change starts again at the first page.
 */
export function listHref(state: ListState, changes: ListState = {}): string {
  const merged: ListState = { ...state, cursor: undefined, ...changes };
  const params = new URLSearchParams();
  for (const key of ORDER) {
    const value = merged[key];
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(","));
    } else params.set(key, String(value));
  }
  const qs = params.toString();
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
    state.createdFrom ||
    state.createdTo,
  );
}

export const QUEUE_LABELS: Record<TicketQueue, string> = {
  unassigned: "Unassigned",
  mine: "Assigned to me",
  waiting: "Waiting on us",
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
  if (state.createdFrom && state.createdTo && state.createdFrom > state.createdTo) {
    conflicts.push("The “created from” date is after the “created to” date.");
  }
  return conflicts;
}
