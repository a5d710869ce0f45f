import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LiveUpdates } from "@/components/live/live-updates";
import { DensityToggle } from "@/components/tickets/density-toggle";
import {
  QUEUE_LABELS,
  columnSorts,
  filterConflicts,
  hasFilters,
  listHref,
  type ListState,
} from "@/components/tickets/list-url";
import { SavedViewsPanel } from "@/components/tickets/saved-views";
import { QueueTabs } from "@/components/tickets/queue-tabs";
import { splitSnippet } from "@/components/tickets/snippet";
import { TicketFilters } from "@/components/tickets/ticket-filters";
import { TicketList, type TicketRowData } from "@/components/tickets/ticket-list";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormSuccess } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { canOnAny } from "@/lib/auth/permissions";
import { listAllCategories } from "@/lib/categories/queries";
import { listAssignableStaff } from "@/lib/tickets/queries";
import { formatDay, plural, timeText, type DateContext } from "@/lib/dates";
import { ticketSlaBadge } from "@/lib/sla/format";
import { getDateContext } from "@/lib/dates-server";
import { DEFAULT_DENSITY, DENSITY_COOKIE, parseDensity } from "@/lib/tickets/density";
import { listQueryString, viewQueryString } from "@/lib/tickets/list-query";
import { listSavedViews } from "@/lib/saved-views/queries";
import { formatTicketNumber } from "@/lib/tickets/status";
import { parseTicketListQuery } from "@/lib/tickets/schemas";
import {
  SNIPPET_END,
  SNIPPET_START,
  countQueues,
  countTickets,
  countTicketsCapped,
  findVisibleTicketNumber,
  listMyTickets,
  listTickets,
  ticketNumberIn,
} from "@/lib/tickets/search";

export const metadata: Metadata = { title: "Tickets" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TicketsPage({ searchParams }: Props) {
  const user = await requirePagePermission("ticket:read");
  // Every ticket (queues, filters, bulk actions) or one's own ("ticket:read" scope).
  const staff = canOnAny(user, "ticket:read");
  const raw = await searchParams;
  const state = parseTicketListQuery(raw);
  // `1042` or `#1042` in the search box opens that ticket, when the viewer may read it.
  const typedNumber = state.cursor ? null : ticketNumberIn(state.q);
  if (typedNumber !== null) {
    const number = await findVisibleTicketNumber(user, typedNumber);
    if (number !== null) redirect(`/tickets/${number}`);
  }
  // Set by the admin's delete button; only a number is ever shown.
  const deleted =
    typeof raw.deleted === "string" && /^\d{1,9}$/.test(raw.deleted) ? Number(raw.deleted) : null;

  const [page, counts, total, categories, staffList, views, dates, jar] = await Promise.all([
    staff ? listTickets(user, state) : listMyTickets(user, state),
    staff ? countQueues(user) : Promise.resolve(null),
    // Staff: capped (an index scan of at most CAP + 1 rows at any table size); one's own: exact.
    staff
      ? countTicketsCapped(user, state, TOTAL_CAP)
      : countTickets(user, state, { mine: true }).then((count) => ({ count, capped: false })),
    staff ? listAllCategories() : Promise.resolve([]),
    staff ? listAssignableStaff(user) : Promise.resolve([]),
    staff ? listSavedViews(user) : Promise.resolve([]),
    getDateContext(),
    cookies(),
  ]);
  const density = state.density ?? parseDensity(jar.get(DENSITY_COOKIE)?.value) ?? DEFAULT_DENSITY;

  const items: TicketRowData[] = page.items.map(
    ({ snippet, slaDueAt, slaWarnAt, slaPausedAt, ...item }) => ({
      ...item,
      // Due times are the help desk's business: staff get the badge, requesters nothing.
      due: staff ? ticketSlaBadge({ ...item, slaDueAt, slaWarnAt, slaPausedAt }, dates) : undefined,
      updated: timeText(item.updatedAt, dates),
      snippet: snippet ? splitSnippet(snippet, SNIPPET_START, SNIPPET_END) : undefined,
      requesterHref: staff ? listHref(state, { requester: item.requester.id }) : undefined,
    }),
  );
  const requesterName = state.requester
    ? (page.items.find((t) => t.requester.id === state.requester)?.requester.name ?? null)
    : null;
  const title = staff ? "Tickets" : "My tickets";
  // The list as a saved view would keep it; a pinned view with the same text is the current tab.
  const viewQuery = viewQueryString(listQueryString({ ...state, density }));
  const current = viewQueryString(listQueryString(state));
  const activeView = views.find((v) => v.query === current || v.query === viewQuery) ?? null;
  const pinned = views.map((v) => ({ id: v.id, name: v.name, href: listHref(v.state) }));

  return (
    <div className="space-y-3">
      {/* Live updates: a change the viewer may see refreshes the list. */}
      <LiveUpdates />
      <PageHeader
        className="mb-2"
        title={title}
        description={staff ? undefined : "Your requests to the help desk: open ones first."}
        actions={
          <Link
            href="/tickets/new"
            className={buttonVariants({ fullWidth: true, className: "sm:w-auto" })}
          >
            New ticket
          </Link>
        }
      />
      <FormSuccess
        message={deleted === null ? null : `Ticket ${formatTicketNumber(deleted)} was deleted.`}
      />
      {staff && (
        <QueueTabs
          current={state.queue}
          counts={counts}
          views={pinned}
          activeViewId={activeView?.id ?? null}
        />
      )}
      <TicketFilters
        state={state}
        staffView={staff}
        categories={categories.filter((c) => !c.archived)}
        staff={staffList}
        requesterName={requesterName}
      />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-fg-muted" data-testid="ticket-count" aria-live="polite">
          {plural(total.count, "ticket", "tickets", { locale: dates.locale, capped: total.capped })}
          <DateRange state={state} dates={dates} />
        </p>
        <div className="flex flex-wrap items-start gap-2">
          <DensityToggle
            current={density}
            hrefWithoutDensity={state.density ? listHref(state, { density: undefined }) : null}
          />
          {staff && (
            <SavedViewsPanel
              query={viewQuery}
              views={views.map((v) => ({ id: v.id, name: v.name, href: listHref(v.state) }))}
            />
          )}
        </div>
      </div>
      {items.length === 0 ? (
        <Empty state={state} staff={staff} />
      ) : (
        <>
          {staff && state.queue && <h2 className="sr-only">{QUEUE_LABELS[state.queue]}</h2>}
          <TicketList
            items={items}
            showPeople={staff}
            density={density}
            sorts={staff ? columnSorts(state, page.sort) : undefined}
            bulk={staff ? { staff: staffList, viewerId: user.id } : undefined}
          />
        </>
      )}
      <Pagination state={state} nextCursor={page.nextCursor} />
    </div>
  );
}

/** The total is counted up to this many (then "1,000+ tickets"). */
const TOTAL_CAP = 1000;

/** ", created 1 Dec 2026 – 3 Dec 2026": the date filters, in the app's one date format. */
function DateRange({ state, dates }: { state: ListState; dates: DateContext }) {
  const from = state.createdFrom ? formatDay(state.createdFrom, dates) : null;
  const to = state.createdTo ? formatDay(state.createdTo, dates) : null;
  if (!from && !to) return null;
  const text = from && to ? `${from} – ${to}` : from ? `from ${from}` : `until ${to}`;
  return <span data-testid="date-range">, created {text}</span>;
}

function Pagination({ state, nextCursor }: { state: ListState; nextCursor: string | null }) {
  if (!nextCursor && !state.cursor) return null;
  return (
    <nav aria-label="Pages" className="flex flex-wrap justify-between gap-3">
      {state.cursor ? (
        <Link href={listHref(state)} className={buttonVariants({ variant: "secondary" })}>
          ← First page
        </Link>
      ) : (
        <span />
      )}
      {nextCursor && (
        <Link
          href={listHref(state, { cursor: nextCursor })}
          className={buttonVariants({ variant: "secondary" })}
          rel="next"
        >
          Next page →
        </Link>
      )}
    </nav>
  );
}

function Empty({ state, staff }: { state: ListState; staff: boolean }) {
  if (hasFilters(state)) {
    const conflicts = filterConflicts(state);
    return (
      <EmptyState
        title="No tickets match"
        description={
          conflicts.length
            ? `These filters cannot match together: ${conflicts.join(" ")}`
            : "Try other words or fewer filters."
        }
        action={
          <Link
            href={listHref({ queue: state.queue })}
            className={buttonVariants({ variant: "secondary" })}
          >
            Clear filters
          </Link>
        }
      />
    );
  }
  if (state.cursor) {
    return <EmptyState title="No more tickets" description="You reached the end of this list." />;
  }
  if (!staff) {
    return (
      <EmptyState
        title="You have no tickets yet"
        description="When something does not work, tell us here and follow the replies."
        action={
          <Link href="/tickets/new" className={buttonVariants()}>
            Report a problem
          </Link>
        }
      />
    );
  }
  const messages: Record<string, string> = {
    unassigned: "Every open ticket has an owner. Nice.",
    mine: "Nothing is assigned to you. Take one from Unassigned.",
    waiting: "Every open ticket has our answer. The requesters have the next word.",
    open: "No open tickets at all.",
    resolved: "Nothing resolved yet.",
  };
  return (
    <EmptyState
      title="Nothing here"
      description={state.queue ? messages[state.queue] : "No tickets have been filed yet."}
    />
  );
}
