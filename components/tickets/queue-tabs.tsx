import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { QueueCounts } from "@/lib/tickets/search";
import { TICKET_QUEUES, type TicketQueue } from "@/lib/tickets/schemas";
import { QUEUE_LABELS, listHref } from "./list-url";

const QUEUES: (TicketQueue | undefined)[] = [...TICKET_QUEUES, undefined];

const tab =
  "-mb-px inline-flex min-h-11 items-center gap-2 border-b-2 px-3 text-sm font-medium whitespace-nowrap sm:min-h-10";
const tabState = (active: boolean) =>
  active
    ? "border-primary text-fg"
    : "border-transparent text-fg-muted hover:border-line-strong hover:text-fg";

export type PinnedView = { id: string; name: string; href: string };

/**
 * The staff queues as links (each a bookmarkable URL; filters are reset when switching), then the
 * viewer's saved views, pinned. A view whose query is the list's current one is the current tab.
 */
export function QueueTabs({
  current,
  counts,
  views = [],
  activeViewId = null,
}: {
  current: TicketQueue | undefined;
  counts: QueueCounts | null;
  views?: PinnedView[];
  activeViewId?: string | null;
}) {
  return (
    <nav aria-label="Queues" className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-line">
        {QUEUES.map((queue) => {
          const active = activeViewId === null && queue === current;
          const count = queue ? counts?.[queue] : undefined;
          return (
            <li key={queue ?? "all"}>
              <Link
                href={listHref({}, { queue })}
                aria-current={active ? "page" : undefined}
                className={cn(tab, tabState(active))}
              >
                {queue ? QUEUE_LABELS[queue] : "All tickets"}
                {count && (
                  <span className="rounded-full bg-surface-muted px-2 py-0.5 text-xs tabular-nums">
                    {count.count}
                    {count.capped ? "+" : ""}
                  </span>
                )}
              </Link>
            </li>
          );
        })}
        {views.map((view, i) => (
          <li
            key={view.id}
            className={cn(i === 0 && "ml-2 border-l border-line pl-2")}
            data-testid="pinned-view"
          >
            <Link
              href={view.href}
              aria-current={view.id === activeViewId ? "page" : undefined}
              className={cn(tab, "max-w-48", tabState(view.id === activeViewId))}
              title={view.name}
            >
              <span className="truncate">{view.name}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
