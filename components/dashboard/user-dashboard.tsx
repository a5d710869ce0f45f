import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { When } from "@/components/ui/when";
import { TicketLinkItem } from "@/components/dashboard/ticket-link-item";
import type { UserDashboard as UserStats } from "@/lib/tickets/stats";
import { formatTicketNumber, statusLabel } from "@/lib/tickets/status";

export function UserDashboard({ stats }: { stats: UserStats }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Your open tickets</CardTitle>
        </CardHeader>
        <CardContent>
          {stats.openTickets.length === 0 ? (
            <p className="text-fg-muted">
              You have no open tickets.{" "}
              <Link href="/tickets/new" className="text-link underline">
                Report a problem
              </Link>
            </p>
          ) : (
            <ul className="divide-y divide-line">
              {stats.openTickets.map((t) => (
                <TicketLinkItem key={t.number} number={t.number} title={t.title}>
                  <Badge>{statusLabel(t.status, "requester")}</Badge>
                </TicketLinkItem>
              ))}
            </ul>
          )}
          <p className="mt-3 text-sm">
            <Link href="/tickets" className="text-link underline">
              All your tickets
            </Link>
          </p>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Recent replies</CardTitle>
        </CardHeader>
        <CardContent>
          {stats.recentReplies.length === 0 ? (
            <p className="text-fg-muted">No replies yet.</p>
          ) : (
            <ul className="divide-y divide-line">
              {stats.recentReplies.map((r) => (
                <li key={r.id} className="py-2">
                  <Link
                    href={`/tickets/${r.ticket.number}`}
                    className="block wrap-anywhere hover:underline focus-visible:outline-2"
                  >
                    <span className="block text-sm text-fg-muted">
                      {r.authorName} on {formatTicketNumber(r.ticket.number)} {r.ticket.title},{" "}
                      <When date={r.createdAt} />
                    </span>
                    <span className="block">{r.excerpt}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
