// Each report as one table: the columns and rows shown under its chart on /reports and written by
// its CSV export, so the page and the file never disagree. Pure and client-safe (types only from
// the queries). Percentages are numbers with one decimal, or "" when there is nothing to divide.
import type { ReportData } from "@/lib/reports/queries";
import { DURATION_LABELS, type ReportKind } from "@/lib/reports/schemas";
import { PRIORITY_LABELS, type TicketPriority } from "@/lib/tickets/status";

export type ReportTable = { columns: string[]; rows: (string | number)[][] };

const pct = (v: number | null) => (v === null ? "" : v);
const hours = (v: number | null) => (v === null ? "" : v);
const DIMENSIONS: Record<string, string> = {
  all: "All",
  priority: "Priority",
  category: "Category",
  technician: "Technician",
};

export function reportTable<K extends ReportKind>(kind: K, data: ReportData[K]): ReportTable {
  switch (kind) {
    case "sla": {
      const rows = data as ReportData["sla"];
      return {
        columns: [
          "Breakdown",
          "Group",
          "Tickets",
          "First response met",
          "First response missed",
          "First response met %",
          "Resolution met",
          "Resolution missed",
          "Resolution met %",
          "Next responses",
          "Next responses late",
          "Next response met %",
        ],
        rows: rows.map((r) => [
          DIMENSIONS[r.dimension]!,
          r.dimension === "priority"
            ? (PRIORITY_LABELS[r.key as TicketPriority] ?? r.label)
            : r.label,
          r.tickets,
          r.firstResponse.met,
          r.firstResponse.missed,
          pct(r.firstResponse.percent),
          r.resolution.met,
          r.resolution.missed,
          pct(r.resolution.percent),
          r.nextResponse.given,
          r.nextResponse.late,
          pct(r.nextResponse.percent),
        ]),
      };
    }
    case "backlog":
      return {
        columns: ["Period starting", "Open tickets at the end"],
        rows: (data as ReportData["backlog"]).map((p) => [p.bucket, p.backlog]),
      };
    case "volume":
      return {
        columns: ["Period starting", "Created", "Resolved"],
        rows: (data as ReportData["volume"]).map((p) => [p.bucket, p.created, p.resolved]),
      };
    case "times": {
      const t = data as ReportData["times"];
      return {
        columns: ["Time", "First response (tickets)", "Resolution (tickets)"],
        rows: [
          ...DURATION_LABELS.map((label, i) => [
            label,
            t.firstResponse.buckets[i] ?? 0,
            t.resolution.buckets[i] ?? 0,
          ]),
          ["Median (hours)", hours(t.firstResponse.medianHours), hours(t.resolution.medianHours)],
          [
            "90th percentile (hours)",
            hours(t.firstResponse.p90Hours),
            hours(t.resolution.p90Hours),
          ],
        ],
      };
    }
    case "csat":
      return {
        columns: [
          "Breakdown",
          "Group",
          "Good",
          "Okay",
          "Bad",
          "Answers",
          "Good %",
          "Okay %",
          "Bad %",
        ],
        rows: (data as ReportData["csat"]).map((r) => [
          DIMENSIONS[r.dimension]!,
          r.label,
          r.good,
          r.okay,
          r.bad,
          r.total,
          pct(r.goodPercent),
          pct(r.okayPercent),
          pct(r.badPercent),
        ]),
      };
    case "time":
      return {
        columns: [
          "Breakdown",
          "Group",
          "Billable minutes",
          "Non-billable minutes",
          "Total minutes",
        ],
        rows: (data as ReportData["time"]).map((r) => [
          DIMENSIONS[r.dimension]!,
          r.label,
          r.billableMinutes,
          r.nonBillableMinutes,
          r.totalMinutes,
        ]),
      };
  }
  throw new Error(`Unknown report ${String(kind)}`);
}
