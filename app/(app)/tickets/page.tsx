import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import {
  QUEUE_LABELS,
  filterConflicts,
  hasFilters,
  listHref,
  type ListState,
} from "@/components/tickets/list-url";
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
import { formatTicketNumber } from "@/lib/tickets/status";
import { parseTicketListQuery } from "@/lib/tickets/schemas";
import {
  SNIPPET_END,
  SNIPPET_START,
  countQueues,
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

  const [page, counts, categories, staffList] = await Promise.all([
    staff ? listTickets(user, state) : listMyTickets(user, state),
    staff ? countQueues(user) : Promise.resolve(null),
    staff ? listAllCategories() : Promise.resolve([]),
    staff ? listAssignableStaff(user) : Promise.resolve([]),
  ]);

  const items: TicketRowData[] = page.items.map(({ snippet, ...item }) => ({
    ...item,
    snippet: snippet ? splitSnippet(snippet, SNIPPET_START, SNIPPET_END) : undefined,
    requesterHref: staff ? listHref(state, { requester: item.requester.id }) : undefined,
  }));
  const requesterName = state.requester
    ? (page.items.find((t) => t.requester.id === state.requester)?.requester.name ?? null)
    : null;
  const title = staff ? "Tickets" : "My tickets";

  return (
    <div className="space-y-5">
      <PageHeader
        title={title}
        description={
          staff
            ? "Triage the queues, search everything, act on many tickets at once."
            : "Your requests to the help desk: open ones first."
        }
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
      {staff && <QueueTabs current={state.queue} counts={counts} />}
      <TicketFilters
        state={state}
        staffView={staff}
        categories={categories.filter((c) => !c.archived)}
        staff={staffList}
        requesterName={requesterName}
      />
      {items.length === 0 ? (
        <Empty state={state} staff={staff} />
      ) : (
        <>
          {staff && state.queue && <h2 className="sr-only">{QUEUE_LABELS[state.queue]}</h2>}
          <TicketList
            items={items}
            showPeople={staff}
            bulk={staff ? { staff: staffList, viewerId: user.id } : undefined}
          />
        </>
      )}
      <Pagination state={state} nextCursor={page.nextCursor} />
    </div>
  );
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
