import type { Metadata } from "next";
import Link from "next/link";
import { EMAIL_STATUS, EmailTable, InboundTable } from "@/components/admin/email-table";
import type { SessionUser } from "@/lib/auth/guards";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { emailConfig } from "@/lib/email/config";
import { EmailListSchema } from "@/lib/email/list-schema";
import { listEmails, listInbound } from "@/lib/email/queries";
import { EMAIL_STATUSES } from "@/lib/email/statuses";

export const metadata: Metadata = { title: "Email" };

type Search = Record<string, string | string[] | undefined>;

export default async function EmailPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePagePermission("email:read");
  const filters = EmailListSchema.parse(await searchParams);
  if (filters.view === "received") return <Received user={user} before={filters.before} />;
  const { items, next } = await listEmails(user, filters);
  const smtp = Boolean(emailConfig().smtpUrl);
  const query = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: filters.status, to: filters.to, ...extra }))
      if (v) params.set(k, v);
    const s = params.toString();
    return s ? `/admin/email?${s}` : "/admin/email";
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title="Email"
        description={
          smtp
            ? "Every mail the help desk queued: sent, waiting for another try, or given up, with the server's last answer."
            : "No SMTP server is configured (SMTP_URL): mail is rendered and kept here, and nothing is sent."
        }
      />
      <ViewLinks view="sent" />
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter email">
        <label className="text-sm">
          <span className="block text-fg-muted">Status</span>
          <select
            name="status"
            defaultValue={filters.status ?? ""}
            className="min-h-11 rounded-md border border-line bg-surface px-2 sm:min-h-9"
          >
            <option value="">Any</option>
            {EMAIL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {EMAIL_STATUS[s]!.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-fg-muted">Recipient</span>
          <input
            name="to"
            type="search"
            defaultValue={filters.to ?? ""}
            className="min-h-11 rounded-md border border-line bg-surface px-2 sm:min-h-9"
          />
        </label>
        <button type="submit" className={buttonVariants({ variant: "secondary" })}>
          Filter
        </button>
      </form>
      {items.length === 0 ? (
        <EmptyState title="No email" description="Mail appears here as soon as it is queued." />
      ) : (
        <EmailTable emails={items} />
      )}
      {next && (
        <Link href={query({ before: next })} className={buttonVariants({ variant: "secondary" })}>
          Older
        </Link>
      )}
    </div>
  );
}

function ViewLinks({ view }: { view: "sent" | "received" }) {
  const tab = (active: boolean) =>
    active ? "font-medium underline underline-offset-4" : "text-fg-muted hover:underline";
  return (
    <nav aria-label="Email views" className="flex gap-4 text-sm">
      <Link
        href="/admin/email"
        className={tab(view === "sent")}
        aria-current={view === "sent" ? "page" : undefined}
      >
        Sent and queued
      </Link>
      <Link
        href="/admin/email?view=received"
        className={tab(view === "received")}
        aria-current={view === "received" ? "page" : undefined}
      >
        Received
      </Link>
    </nav>
  );
}

async function Received({ user, before }: { user: SessionUser; before?: string }) {
  const { items, next } = await listInbound(user, { before });
  return (
    <div className="space-y-6">
      <PageHeader
        title="Email"
        description="Every message read from the help desk mailbox, once each, and what came of it."
      />
      <ViewLinks view="received" />
      {items.length === 0 ? (
        <EmptyState
          title="Nothing received"
          description="Set up the mailbox on the Settings page; messages appear here as they are read."
        />
      ) : (
        <InboundTable items={items} />
      )}
      {next && (
        <Link
          href={`/admin/email?view=received&before=${next}`}
          className={buttonVariants({ variant: "secondary" })}
        >
          Older
        </Link>
      )}
    </div>
  );
}
