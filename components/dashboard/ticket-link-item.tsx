import Link from "next/link";
import type { ReactNode } from "react";
import { formatTicketNumber } from "@/lib/tickets/status";

/** One ticket in a dashboard list: its number and title, then `children` (badges, times), as a link. */
export function TicketLinkItem({
  number,
  title,
  children,
}: {
  number: number;
  title: string;
  children: ReactNode;
}) {
  return (
    <li className="py-2">
      <Link
        href={`/tickets/${number}`}
        className="flex flex-wrap items-baseline gap-x-3 gap-y-1 hover:underline focus-visible:outline-2"
      >
        <span className="font-mono text-sm text-fg-muted">{formatTicketNumber(number)}</span>
        <span className="min-w-0 flex-1 font-medium wrap-anywhere">{title}</span>
        {children}
      </Link>
    </li>
  );
}
