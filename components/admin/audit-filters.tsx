// The audit viewer's filters as a plain GET form: every filter lives in the URL, the page works
// without JavaScript, and the CSV export form (a POST) carries exactly the same filters.
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { AUDIT_OUTCOMES, hasAuditFilters, type AuditFilters } from "@/lib/audit/filters";

// Actions the app records, offered as suggestions; any other value can still be typed.
const KNOWN_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "auth.reauth",
  "account.password_change",
  "user.create",
  "user.role_change",
  "user.deactivate",
  "user.reactivate",
  "user.sign_out_everywhere",
  "user.password_reset",
  "user.password_change",
  "category.create",
  "category.rename",
  "category.reorder",
  "category.archive",
  "category.unarchive",
  "category.default_assignee",
  "ticket.create",
  "ticket.edit",
  "ticket.reply",
  "ticket.note",
  "ticket.assign",
  "ticket.take",
  "ticket.status",
  "ticket.priority",
  "ticket.category",
  "ticket.close",
  "ticket.reopen",
  "ticket.delete",
  "ticket.bulk_assign",
  "ticket.bulk_status",
  "audit.export",
  "audit.verify",
];

type TextFilter = {
  key: keyof AuditFilters;
  label: string;
  placeholder?: string;
  type?: string;
  list?: string;
};
const TEXT_FILTERS: TextFilter[] = [
  { key: "q", label: "Text", placeholder: "Anything in the event" },
  { key: "actor", label: "Actor", placeholder: "Email, user id or “system”" },
  { key: "action", label: "Action", placeholder: "e.g. user.create", list: "audit-actions" },
  { key: "entityType", label: "Object type", placeholder: "Ticket, User, Category…" },
  { key: "entityId", label: "Object id" },
  { key: "ip", label: "IP address" },
  { key: "from", label: "From (UTC day)", type: "date" },
  { key: "to", label: "To (UTC day)", type: "date" },
];

export function AuditFiltersForm({ filters }: { filters: AuditFilters }) {
  return (
    <form
      method="get"
      action="/admin/audit"
      role="search"
      aria-label="Filter the audit log"
      className="space-y-3 rounded-lg border border-line bg-surface p-4"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {TEXT_FILTERS.map((f) => (
          <div key={f.key} className="space-y-1.5">
            <Label htmlFor={`audit-${f.key}`}>{f.label}</Label>
            <Input
              id={`audit-${f.key}`}
              name={f.key}
              type={f.type ?? "text"}
              list={f.list}
              placeholder={f.placeholder}
              defaultValue={filters[f.key] ?? ""}
            />
          </div>
        ))}
        <div className="space-y-1.5">
          <Label htmlFor="audit-outcome">Outcome</Label>
          <Select id="audit-outcome" name="outcome" defaultValue={filters.outcome ?? ""}>
            <option value="">Any outcome</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o.toLowerCase()}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <datalist id="audit-actions">
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonVariants({ variant: "secondary" })}>
          Apply filters
        </button>
        {hasAuditFilters(filters) && (
          <Link href="/admin/audit" className={buttonVariants({ variant: "ghost" })}>
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}
