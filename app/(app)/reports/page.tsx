import type { Metadata } from "next";
import { ReportFilterForm } from "@/components/reports/filter-form";
import { ReportSection } from "@/components/reports/report-section";
import { ReportBarChart, ReportLineChart } from "@/components/reports/charts";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { canOnAny } from "@/lib/auth/permissions";
import { getDateContext } from "@/lib/dates-server";
import { getReports, reportFilterOptions } from "@/lib/reports/queries";
import {
  DURATION_LABELS,
  REPORT_KINDS,
  REPORT_TITLES,
  parseReportFilters,
} from "@/lib/reports/schemas";
import { reportTable } from "@/lib/reports/tables";

export const metadata: Metadata = { title: "Reports" };

type Search = Record<string, string | string[] | undefined>;

// Theme colours (CSS variables, so both themes stay readable). Plain strings here: a value
// exported by a client module would reach this server component as a client reference.
const C0 = "var(--primary)";
const C1 = "var(--success-text)";
const C2 = "var(--fg-muted)";
const C3 = "var(--danger-text)";

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePagePermission("reports:read");
  const dates = await getDateContext();
  const requested = parseReportFilters(await searchParams, dates);
  const [reports, options] = await Promise.all([
    getReports(user, { ...dates, filters: requested }),
    reportFilterOptions(user),
  ]);
  const { filters } = reports;
  const everyone = canOnAny(user, "reports:read");
  // Charts: per technician for admins, the viewer's own total for a technician.
  const people = <T extends { dimension: string }>(rows: T[]) =>
    everyone ? rows.filter((r) => r.dimension === "technician") : rows.slice(0, 1);
  const slaBy = reports.sla.filter((r) => r.dimension === "priority");

  return (
    <div className="space-y-6">
      <PageHeader
        title="Reports"
        description={
          everyone
            ? `Every technician's work, ${filters.from} to ${filters.to} (${dates.timeZone}).`
            : `Your own work: tickets assigned to you, your time and your surveys, ${filters.from} to ${filters.to} (${dates.timeZone}).`
        }
      />
      <ReportFilterForm filters={filters} options={options} everyone={everyone} />
      <nav aria-label="Reports" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {REPORT_KINDS.map((kind) => (
          <a
            key={kind}
            href={`#report-${kind}`}
            className="text-link underline-offset-2 hover:underline"
          >
            {REPORT_TITLES[kind]}
          </a>
        ))}
      </nav>

      <ReportSection
        kind="sla"
        filters={filters}
        description="Tickets created in the range: a target is met when its moment came before its due time, missed when it came later or never came and the due time passed; a running clock counts as neither."
        table={reportTable("sla", reports.sla)}
      >
        <ReportBarChart
          x="label"
          max={100}
          data={slaBy.map((r) => ({
            label: r.label,
            first: r.firstResponse.percent ?? 0,
            resolution: r.resolution.percent ?? 0,
            next: r.nextResponse.percent ?? 0,
          }))}
          series={[
            { key: "first", name: "First response met %", color: C0 },
            { key: "resolution", name: "Resolution met %", color: C1 },
            { key: "next", name: "Next response met %", color: C2 },
          ]}
        />
      </ReportSection>

      <ReportSection
        kind="backlog"
        filters={filters}
        description="Open tickets at the end of each period."
        table={reportTable("backlog", reports.volume)}
      >
        <ReportLineChart
          x="bucket"
          data={reports.volume}
          series={[{ key: "backlog", name: "Open tickets", color: C0 }]}
        />
      </ReportSection>

      <ReportSection
        kind="volume"
        filters={filters}
        description="Tickets created, and tickets resolved (and still resolved), per period."
        table={reportTable("volume", reports.volume)}
      >
        <ReportBarChart
          x="bucket"
          data={reports.volume}
          series={[
            { key: "created", name: "Created", color: C0 },
            { key: "resolved", name: "Resolved", color: C1 },
          ]}
        />
      </ReportSection>

      <ReportSection
        kind="times"
        filters={filters}
        description="Wall-clock time from creation to the first response and to the resolution, tickets created in the range."
        table={reportTable("times", reports.times)}
      >
        <ReportBarChart
          x="label"
          data={DURATION_LABELS.map((label, i) => ({
            label,
            first: reports.times.firstResponse.buckets[i] ?? 0,
            resolution: reports.times.resolution.buckets[i] ?? 0,
          }))}
          series={[
            { key: "first", name: "First response", color: C0 },
            { key: "resolution", name: "Resolution", color: C1 },
          ]}
        />
      </ReportSection>

      <ReportSection
        kind="csat"
        filters={filters}
        description="Survey answers received in the range, by the technician assigned at resolution and by category."
        table={reportTable("csat", reports.csat)}
      >
        <ReportBarChart
          x="label"
          stacked
          data={people(reports.csat).map((r) => ({
            label: r.label,
            good: r.good,
            okay: r.okay,
            bad: r.bad,
          }))}
          series={[
            { key: "good", name: "Good", color: C1 },
            { key: "okay", name: "Okay", color: C2 },
            { key: "bad", name: "Bad", color: C3 },
          ]}
        />
      </ReportSection>

      <ReportSection
        kind="time"
        filters={filters}
        description="Minutes logged with a work date in the range."
        table={reportTable("time", reports.time)}
      >
        <ReportBarChart
          x="label"
          stacked
          data={people(reports.time).map((r) => ({
            label: r.label,
            billable: r.billableMinutes,
            other: r.nonBillableMinutes,
          }))}
          series={[
            { key: "billable", name: "Billable minutes", color: C0 },
            { key: "other", name: "Non-billable minutes", color: C2 },
          ]}
        />
      </ReportSection>
    </div>
  );
}
