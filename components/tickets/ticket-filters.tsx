// The list's filters as a plain GET form: it works before (and without) JavaScript, and
// submitting it simply produces the bookmarkable URL of the view.
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { SLA_FILTERS, type SlaFilter, type TicketSort } from "@/lib/tickets/schemas";
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  statusLabel,
  type TicketStatus,
} from "@/lib/tickets/status";
import { hasFilters, listHref, type ListState } from "./list-url";

type Option = { id: string; name: string };

const SORT_LABELS: Record<TicketSort, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  updated: "Recently updated",
  priority: "Priority (urgent first)",
  resolved: "Recently resolved",
  "updated-asc": "Least recently updated",
  "priority-asc": "Priority (low first)",
  "number-desc": "Number (highest first)",
  "number-asc": "Number (lowest first)",
  "title-asc": "Title A–Z",
  "title-desc": "Title Z–A",
  "status-asc": "Status (new first)",
  "status-desc": "Status (closed first)",
  due: "Due soonest (running SLA clocks)",
  "due-desc": "Due latest (running SLA clocks)",
};

const SLA_LABELS: Record<SlaFilter, string> = {
  breached: "Breached",
  "at-risk": "At risk",
  "on-track": "On track",
};

/** A select for a list-valued filter: one value, or several from a shared URL kept as one option. */
function multiValue(values: string[] | undefined, label: (v: string) => string) {
  if (!values?.length) return { value: "", extra: null };
  const value = values.join(",");
  return values.length === 1
    ? { value, extra: null }
    : { value, extra: <option value={value}>{values.map(label).join(", ")}</option> };
}

export function TicketFilters({
  state,
  staffView,
  categories,
  staff,
  requesterName,
}: {
  state: ListState;
  /** Staff get every filter; users get search and status. */
  staffView: boolean;
  categories: Option[];
  staff: Option[];
  requesterName: string | null;
}) {
  // A requester reads their own words for a status ("Waiting for you").
  const audience = staffView ? "staff" : "requester";
  const status = multiValue(state.status, (s) =>
    s in STATUS_LABELS ? statusLabel(s as TicketStatus, audience) : s,
  );
  const priority = multiValue(
    state.priority,
    (p) => PRIORITY_LABELS[p as keyof typeof PRIORITY_LABELS],
  );
  const category = multiValue(
    state.category,
    (id) => categories.find((c) => c.id === id)?.name ?? id,
  );
  const filtered = hasFilters(state);
  const active = [
    state.status?.length,
    staffView && state.priority?.length,
    staffView && state.category?.length,
    staffView && state.assignee,
    staffView && state.sla,
    staffView && state.requester,
    staffView && state.createdFrom,
    staffView && state.createdTo,
    staffView && state.sort,
  ].filter(Boolean).length;
  const sorts = (Object.keys(SORT_LABELS) as TicketSort[]).filter(
    (s) => s !== "resolved" || state.queue === "resolved",
  );

  return (
    <form action="/tickets" method="get" role="search" className="space-y-3">
      {state.queue && <input type="hidden" name="queue" value={state.queue} />}
      {state.density && <input type="hidden" name="density" value={state.density} />}
      <div className="flex gap-2">
        <div className="min-w-0 flex-1">
          <Label htmlFor="ticket-search" className="sr-only">
            Search tickets
          </Label>
          <Input
            id="ticket-search"
            type="search"
            name="q"
            defaultValue={state.q ?? ""}
            placeholder={'Search: vpn -wifi "error 42" or printer'}
            maxLength={200}
          />
        </div>
        <button type="submit" className={buttonVariants({ variant: "primary" })}>
          Search
        </button>
      </div>
      {/* Closed by default, also while filters apply: the queue keeps the screen. The summary
          says how many apply; the count line and the pinned view say what the list is. */}
      <details className="group rounded-lg border border-line bg-surface">
        <summary className="flex min-h-11 cursor-pointer items-center px-4 text-sm font-medium select-none">
          Filters and sort{active > 0 ? ` (${active} active)` : ""}
        </summary>
        <div className="grid gap-4 border-t border-line p-4 sm:grid-cols-2 lg:grid-cols-4">
          <FilterField label="Status" id="f-status">
            <Select id="f-status" name="status" defaultValue={status.value}>
              <option value="">Any status</option>
              {status.extra}
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s, audience)}
                </option>
              ))}
            </Select>
          </FilterField>
          {staffView && (
            <>
              <FilterField label="Priority" id="f-priority">
                <Select id="f-priority" name="priority" defaultValue={priority.value}>
                  <option value="">Any priority</option>
                  {priority.extra}
                  {TICKET_PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {PRIORITY_LABELS[p]}
                    </option>
                  ))}
                </Select>
              </FilterField>
              <FilterField label="Category" id="f-category">
                <Select id="f-category" name="category" defaultValue={category.value}>
                  <option value="">Any category</option>
                  {category.extra}
                  {categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </Select>
              </FilterField>
              <FilterField label="Assignee" id="f-assignee">
                <Select id="f-assignee" name="assignee" defaultValue={state.assignee ?? ""}>
                  <option value="">Anyone</option>
                  <option value="me">Me</option>
                  <option value="none">Nobody (unassigned)</option>
                  {staff.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </Select>
              </FilterField>
              <FilterField label="Service level" id="f-sla">
                <Select id="f-sla" name="sla" defaultValue={state.sla ?? ""}>
                  <option value="">Any</option>
                  {SLA_FILTERS.map((s) => (
                    <option key={s} value={s}>
                      {SLA_LABELS[s]}
                    </option>
                  ))}
                </Select>
              </FilterField>
              <FilterField label="Created from" id="f-from">
                <Input
                  id="f-from"
                  type="date"
                  name="createdFrom"
                  defaultValue={state.createdFrom ?? ""}
                />
              </FilterField>
              <FilterField label="Created to" id="f-to">
                <Input
                  id="f-to"
                  type="date"
                  name="createdTo"
                  defaultValue={state.createdTo ?? ""}
                />
              </FilterField>
              <FilterField label="Sort" id="f-sort">
                <Select id="f-sort" name="sort" defaultValue={state.sort ?? ""}>
                  <option value="">Default</option>
                  {sorts.map((s) => (
                    <option key={s} value={s}>
                      {SORT_LABELS[s]}
                    </option>
                  ))}
                </Select>
              </FilterField>
              {state.requester && (
                <div className="space-y-1.5">
                  <p className="text-sm font-medium text-fg">Requester</p>
                  <input type="hidden" name="requester" value={state.requester} />
                  <p className="flex min-h-11 items-center gap-2 text-sm">
                    <span className="min-w-0 truncate">{requesterName ?? "Unknown person"}</span>
                    <Link
                      href={listHref(state, { requester: undefined })}
                      className="text-link underline"
                    >
                      Remove
                    </Link>
                  </p>
                </div>
              )}
            </>
          )}
          <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-4">
            <button type="submit" className={buttonVariants({ variant: "primary" })}>
              Apply filters
            </button>
            {filtered && (
              <Link
                href={listHref({ queue: state.queue })}
                className={buttonVariants({ variant: "ghost" })}
              >
                Clear filters
              </Link>
            )}
          </div>
        </div>
      </details>
    </form>
  );
}

function FilterField({
  label,
  id,
  children,
}: {
  label: string;
  id: string;
  children: React.ReactNode;
}) {
  return (
    <div className="min-w-0 space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
    </div>
  );
}
