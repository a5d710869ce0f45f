// A ticket list state as its URL query string, in one fixed key order: the list's links
// (components/tickets/list-url.ts) and saved views (lib/tickets/saved-views.ts) write the same
// text for the same state, so a view can be recognised by comparing strings. Client-safe.
import { parseTicketListQuery, type TicketListQuery } from "@/lib/tickets/schemas";

export type ListState = Partial<TicketListQuery>;

const ORDER: (keyof TicketListQuery)[] = [
  "queue",
  "q",
  "status",
  "priority",
  "category",
  "assignee",
  "requester",
  "sla",
  "createdFrom",
  "createdTo",
  "sort",
  "density",
  "limit",
  "cursor",
];

/** "queue=open&priority=HIGH,URGENT&sort=updated" (no leading "?"; "" for the plain list). */
export function listQueryString(state: ListState): string {
  const params = new URLSearchParams();
  for (const key of ORDER) {
    const value = state[key];
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(","));
    } else params.set(key, String(value));
  }
  return params.toString();
}

/** A query string (with or without "?") parsed by the list's own schema; what does not parse is dropped. */
export function parseListQueryString(text: string): TicketListQuery {
  const params = new URLSearchParams(text.startsWith("?") ? text.slice(1) : text);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    raw[key] = values.length === 1 ? values[0]! : values;
  }
  return parseTicketListQuery(raw);
}

/**
 * What a saved view keeps: the list state without its page (cursor) or page size, re-parsed and
 * written in the canonical order.
 */
export function viewQueryString(text: string): string {
  const { cursor: _cursor, limit: _limit, ...state } = parseListQueryString(text);
  return listQueryString(state);
}
