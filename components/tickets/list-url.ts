// The ticket list's state lives entirely in the URL (bookmarkable, shareable). These helpers turn
// a parsed TicketListQuery back into a /tickets URL, changing a few fields at a time.
import type { TicketListQuery } from "@/lib/tickets/schemas";

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
