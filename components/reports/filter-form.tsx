// The reports' filters as a plain GET form: everything lives in the URL and works without
// JavaScript; the export forms carry the same fields. Technicians get no technician picker (their
// own work is forced on the server anyway).
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { GROUPINGS, type ReportFilters } from "@/lib/reports/schemas";
import { PRIORITY_LABELS, TICKET_PRIORITIES } from "@/lib/tickets/status";

type Option = { id: string; name: string };

const GROUP_LABELS = { day: "Day", week: "Week", month: "Month" } as const;

export function ReportFilterForm({
  filters,
  options,
  everyone,
}: {
  filters: ReportFilters;
  options: { categories: Option[]; technicians: Option[] };
  everyone: boolean;
}) {
  return (
    <form
      method="get"
      action="/reports"
      role="search"
      aria-label="Report filters"
      className="space-y-3 rounded-lg border border-line bg-surface p-4"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <div className="space-y-1.5">
          <Label htmlFor="report-from">From</Label>
          <Input id="report-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="report-to">To</Label>
          <Input id="report-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="report-group">Group by</Label>
          <Select id="report-group" name="group" defaultValue={filters.group}>
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {GROUP_LABELS[g]}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="report-priority">Priority</Label>
          <Select id="report-priority" name="priority" defaultValue={filters.priority ?? ""}>
            <option value="">Any priority</option>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="report-category">Category</Label>
          <Select id="report-category" name="category" defaultValue={filters.categoryId ?? ""}>
            <option value="">Any category</option>
            {options.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </div>
        {everyone && (
          <div className="space-y-1.5">
            <Label htmlFor="report-technician">Technician</Label>
            <Select
              id="report-technician"
              name="technician"
              defaultValue={filters.technicianId ?? ""}
            >
              <option value="">Everyone</option>
              {options.technicians.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </div>
        )}
      </div>
      <p className="text-sm text-fg-muted">
        Days in your time zone; at most 400 days. Defaults to the last 30 days.
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonVariants({ variant: "secondary" })}>
          Apply filters
        </button>
        <Link href="/reports" className={buttonVariants({ variant: "ghost" })}>
          Reset
        </Link>
      </div>
    </form>
  );
}
