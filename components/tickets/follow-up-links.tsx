import Link from "next/link";
import type { TicketLink } from "@/lib/tickets/queries";
import { formatTicketNumber } from "@/lib/tickets/status";

/** "Follows up #12" / "Followed up in #40": the relation, shown on both tickets. Long titles wrap. */
export function FollowUpLinks({
  followUpOf,
  followUps,
}: {
  followUpOf: TicketLink | null;
  followUps: TicketLink[];
}) {
  if (!followUpOf && followUps.length === 0) return null;
  return (
    <ul className="space-y-1 text-sm wrap-anywhere" data-testid="follow-up-links">
      {followUpOf && (
        <li>
          <span className="text-fg-muted">Follows up </span>
          <TicketLinkItem ticket={followUpOf} />
        </li>
      )}
      {followUps.map((t) => (
        <li key={t.number}>
          <span className="text-fg-muted">Followed up in </span>
          <TicketLinkItem ticket={t} />
        </li>
      ))}
    </ul>
  );
}

function TicketLinkItem({ ticket }: { ticket: TicketLink }) {
  return (
    <Link
      href={`/tickets/${ticket.number}`}
      className="text-link underline-offset-2 hover:underline"
    >
      {formatTicketNumber(ticket.number)} {ticket.title}
    </Link>
  );
}
