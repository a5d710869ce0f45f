import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { QueueCounts } from "@/lib/tickets/search";
import { TICKET_QUEUES, type TicketQueue } from "@/lib/tickets/schemas";
import { QUEUE_LABELS, listHref } from "./list-url";

const QUEUES: (TicketQueue | undefined)[] = [...TICKET_QUEUES, undefined];

/** The staff queues as links (each a bookmarkable URL); filters are reset when switching. */
export function QueueTabs({
  current,
  counts,
}: {
  current: TicketQueue | undefined;
  counts: QueueCounts | null;
}) {
  return (
    <nav aria-label="Queues" className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-line">
        {QUEUES.map((queue) => {
          const active = queue === current;
          const count = queue ? counts?.[queue] : undefined;
          return (
            <li key={queue ?? "all"}>
              <Link
                href={listHref({}, { queue })}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "-mb-px inline-flex min-h-11 items-center gap-2 border-b-2 px-3 text-sm font-medium whitespace-nowrap",
                  active
                    ? "border-primary text-fg"
                    : "border-transparent text-fg-muted hover:border-line-strong hover:text-fg",
                )}
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
      </ul>
    </nav>
  );
}
