// One report on /reports: title, what it counts, its chart, the same numbers as a table (what
// screen readers and keyboard users get; the chart is aria-hidden), and its CSV export: a POST
// form carrying the page's filters (the export is audited, see the route).
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  REPORT_TITLES,
  reportFilterFields,
  type ReportFilters,
  type ReportKind,
} from "@/lib/reports/schemas";
import type { ReportTable } from "@/lib/reports/tables";

export function ReportSection({
  kind,
  filters,
  description,
  table,
  children,
}: {
  kind: ReportKind;
  filters: ReportFilters;
  description: string;
  table: ReportTable;
  children: React.ReactNode;
}) {
  const title = REPORT_TITLES[kind];
  return (
    <section id={`report-${kind}`} aria-labelledby={`report-${kind}-title`} className="scroll-mt-4">
      <Card>
        <CardHeader className="flex flex-wrap items-start justify-between gap-3">
          <div className="space-y-1">
            <CardTitle id={`report-${kind}-title`}>{title}</CardTitle>
            <CardDescription>{description}</CardDescription>
          </div>
          <form method="post" action={`/reports/export/${kind}`}>
            {reportFilterFields(filters).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <button
              type="submit"
              className={buttonVariants({ variant: "secondary" })}
              aria-label={`Export ${title} as CSV`}
            >
              Export CSV
            </button>
          </form>
        </CardHeader>
        <CardContent className="space-y-4">
          {children}
          <div className="max-h-96 overflow-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr className="border-b border-line">
                  {table.columns.map((c) => (
                    <th key={c} scope="col" className="px-2 py-1 font-medium">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, index) => (
                  <tr key={index} className="border-b border-line last:border-0">
                    {row.map((cell, i) =>
                      i === 0 ? (
                        <th key={i} scope="row" className="px-2 py-1 font-normal">
                          {cell}
                        </th>
                      ) : (
                        <td key={i} className="px-2 py-1 tabular-nums">
                          {cell === "" ? "–" : cell}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </CardContent>
      </Card>
    </section>
  );
}
