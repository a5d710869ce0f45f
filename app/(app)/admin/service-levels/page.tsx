import type { Metadata } from "next";
import Link from "next/link";
import { PolicyRow } from "@/components/sla/policy-row";
import { formatHours } from "@/components/sla/format";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { listAllCategories } from "@/lib/categories/queries";
import { listCalendarsForAdmin, listPoliciesForAdmin } from "@/lib/sla/admin-queries";

export const metadata: Metadata = { title: "Service levels" };

const lower = (p: string) => p.toLowerCase();

export default async function ServiceLevelsPage() {
  const viewer = await requirePagePermission("sla:manage");
  const [policies, calendars, categories] = await Promise.all([
    listPoliciesForAdmin(viewer),
    listCalendarsForAdmin(viewer),
    listAllCategories(),
  ]);
  const categoryName = new Map(categories.map((c) => [c.id, c.name]));
  const ordered = policies.filter((p) => !p.isDefault);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Service levels"
        description="Targets for first response, next response and resolution, counted in business hours. The first active policy that matches a ticket applies; the default policy matches every other ticket."
      />
      <Card>
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
          <div>
            <CardTitle>Policies</CardTitle>
            <CardDescription>Tried in this order.</CardDescription>
          </div>
          <Link
            href="/admin/service-levels/policies/new"
            className={buttonVariants({ size: "sm" })}
          >
            New policy
          </Link>
        </CardHeader>
        <CardContent>
          <ol className="divide-y divide-line rounded-lg border border-line">
            {policies.map((p) => {
              const names = p.categoryIds.map((id) => categoryName.get(id) ?? "(removed)");
              const condition = p.isDefault
                ? "every other ticket"
                : [
                    p.priorities.length ? `priority ${p.priorities.map(lower).join(" or ")}` : "",
                    names.length ? `category ${names.join(" or ")}` : "",
                  ]
                    .filter(Boolean)
                    .join(", ") || "any ticket";
              return (
                <PolicyRow
                  key={p.id}
                  policy={{ ...p, condition, calendarName: p.calendar.name }}
                  first={ordered[0]?.id === p.id}
                  last={ordered[ordered.length - 1]?.id === p.id}
                />
              );
            })}
          </ol>
        </CardContent>
      </Card>
      <Card>
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
          <div>
            <CardTitle>Business-hours calendars</CardTitle>
            <CardDescription>
              When the clock runs: opening hours in a time zone, minus holidays.
            </CardDescription>
          </div>
          <Link
            href="/admin/service-levels/calendars/new"
            className={buttonVariants({ size: "sm" })}
          >
            New calendar
          </Link>
        </CardHeader>
        <CardContent>
          <ul className="divide-y divide-line rounded-lg border border-line">
            {calendars.map((c) => (
              <li
                key={c.id}
                className="flex flex-wrap items-center gap-3 px-4 py-3"
                data-testid="calendar-row"
              >
                <span className="min-w-0 flex-1">
                  <Link
                    href={`/admin/service-levels/calendars/${c.id}`}
                    className="font-medium hover:underline"
                  >
                    {c.name}
                  </Link>
                  <span className="block text-sm break-words text-fg-muted">
                    {c.timeZone} · {formatHours(c.alwaysOpen, c.windows)} ·{" "}
                    {c.holidayCount === 1 ? "1 holiday" : `${c.holidayCount} holidays`} · used by{" "}
                    {c.policyCount === 1 ? "1 policy" : `${c.policyCount} policies`}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
