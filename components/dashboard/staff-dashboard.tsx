import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { When } from "@/components/ui/when";
import { TicketLinkItem } from "@/components/dashboard/ticket-link-item";
import { AssigneeChart, TrendChart } from "@/components/dashboard/charts";
import { ChartData } from "@/components/dashboard/data-table";
import type { StaffDashboard as StaffStats } from "@/lib/tickets/stats";
import {
  OPEN_STATUSES,
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_PRIORITIES,
} from "@/lib/tickets/status";

function Stat({ href, label, value }: { href: string; label: string; value: number }) {
  return (
    <li>
      <Link
        href={href}
        className="block h-full rounded-lg border border-line bg-surface p-4 shadow-sm transition-colors hover:bg-surface-muted focus-visible:outline-2"
      >
        <span className="block text-sm text-fg-muted">{label}</span>
        <span className="block text-2xl font-semibold tabular-nums">{value}</span>
      </Link>
    </li>
  );
}

function CountList({ items }: { items: { href: string; label: string; value: number }[] }) {
  return (
    <ul className="divide-y divide-line">
      {items.map((item) => (
        <li key={item.href}>
          <Link
            href={item.href}
            className="flex items-center justify-between gap-3 px-1 py-2 hover:bg-surface-muted focus-visible:outline-2"
          >
            <span>{item.label}</span>
            <span className="font-semibold tabular-nums">{item.value}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function StaffDashboard({ stats }: { stats: StaffStats }) {
  return (
    <div className="space-y-6">
      <section aria-labelledby="queues-heading">
        <h2 id="queues-heading" className="sr-only">
          Queues
        </h2>
        <ul className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <Stat href="/tickets?queue=open" label="Open tickets" value={stats.open} />
          <Stat href="/tickets?queue=unassigned" label="Unassigned" value={stats.unassigned} />
          <Stat href="/tickets?queue=mine" label="My open tickets" value={stats.mine} />
          <Stat
            href="/tickets?queue=open&priority=URGENT"
            label="Urgent"
            value={stats.byPriority.URGENT}
          />
        </ul>
      </section>

      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Open by status</CardTitle>
          </CardHeader>
          <CardContent>
            <CountList
              items={OPEN_STATUSES.map((s) => ({
                href: `/tickets?queue=open&status=${s}`,
                label: STATUS_LABELS[s],
                value: stats.byStatus[s],
              }))}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Open by priority</CardTitle>
          </CardHeader>
          <CardContent>
            <CountList
              items={[...TICKET_PRIORITIES].reverse().map((p) => ({
                href: `/tickets?queue=open&priority=${p}`,
                label: PRIORITY_LABELS[p],
                value: stats.byPriority[p],
              }))}
            />
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Oldest open tickets</CardTitle>
        </CardHeader>
        <CardContent>
          {stats.oldest.length === 0 ? (
            <EmptyState title="No open tickets" description="The queue is empty." />
          ) : (
            <ol className="divide-y divide-line">
              {stats.oldest.map((t) => (
                <TicketLinkItem key={t.number} number={t.number} title={t.title}>
                  <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-fg-muted">
                    <Badge>{STATUS_LABELS[t.status]}</Badge>
                    <Badge tone={t.priority === "URGENT" ? "danger" : "neutral"}>
                      {PRIORITY_LABELS[t.priority]}
                    </Badge>
                    <span>
                      opened <When date={t.createdAt} />
                    </span>
                    <span>{t.assigneeName ?? "Unassigned"}</span>
                  </span>
                </TicketLinkItem>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Created and resolved, last 30 days</CardTitle>
          </CardHeader>
          <CardContent>
            <TrendChart data={stats.trend} />
            <ChartData
              caption="Tickets created and resolved per day (UTC), last 30 days"
              columns={["Day", "Created", "Resolved"]}
              rows={stats.trend.map((p) => [p.day, p.created, p.resolved])}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Open tickets per technician</CardTitle>
          </CardHeader>
          <CardContent>
            {stats.perAssignee.length === 0 ? (
              <EmptyState title="No assigned open tickets" />
            ) : (
              <>
                <AssigneeChart data={stats.perAssignee.slice(0, 15)} />
                <ChartData
                  caption="Open tickets per technician"
                  columns={["Technician", "Open tickets"]}
                  rows={stats.perAssignee.map((p) => [p.name, p.open])}
                />
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
