import type { Metadata } from "next";
import Link from "next/link";
import { AuditFiltersForm } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { VerifyIntegrity } from "@/components/admin/verify-integrity";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import {
  AUDIT_FILTER_KEYS,
  auditQueryString,
  parseAuditFilters,
  parseBefore,
} from "@/lib/audit/filters";
import { listAuditEvents } from "@/lib/audit/queries";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePagePermission("audit:read");
  const params = await searchParams;
  const filters = parseAuditFilters(params);
  const before = parseBefore(params);
  const { events, nextBefore, names } = await listAuditEvents(user, { ...filters, before });
  const query = auditQueryString(filters);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Every sign-in, change and refusal, newest first. The log is append-only and hash-chained."
        actions={
          // A POST (the filters as hidden fields): an export does work and is audited, so a
          // link elsewhere must not be able to start one (see the route).
          <form method="post" action="/admin/audit/export">
            {AUDIT_FILTER_KEYS.map((key) =>
              filters[key] === undefined ? null : (
                <input key={key} type="hidden" name={key} value={filters[key]} />
              ),
            )}
            <button type="submit" className={buttonVariants({ variant: "secondary" })}>
              Export CSV
            </button>
          </form>
        }
      />
      <VerifyIntegrity />
      <AuditFiltersForm filters={filters} />
      {events.length === 0 ? (
        <EmptyState title="No events match" description="Change or clear the filters." />
      ) : (
        <AuditTable events={events} names={names} />
      )}
      <nav className="flex flex-wrap gap-3" aria-label="Pages">
        {before !== undefined && (
          <Link
            href={`/admin/audit${query ? `?${query}` : ""}`}
            className={buttonVariants({ variant: "ghost" })}
          >
            Newest events
          </Link>
        )}
        {nextBefore && (
          <Link
            href={`/admin/audit?${auditQueryString(filters, { before: nextBefore.toString() })}`}
            className={buttonVariants({ variant: "secondary" })}
          >
            Older events
          </Link>
        )}
      </nav>
    </div>
  );
}
