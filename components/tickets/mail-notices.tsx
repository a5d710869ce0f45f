import { When } from "@/components/ui/when";
import type { MailNotice } from "@/lib/email/queries";

const WHAT: Record<string, string> = {
  bounce: "Our email bounced",
  automatic: "Automatic reply",
  rate_limited: "Held back (too many messages)",
};

/** Staff only: mail about this ticket that made no reply (bounces, out-of-office, floods). */
export function MailNotices({ notices }: { notices: MailNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <section aria-labelledby="mail-notices-heading" className="space-y-2">
      <h2 id="mail-notices-heading" className="text-base font-semibold">
        Email that added nothing
      </h2>
      <ul className="space-y-1 rounded-lg border border-line bg-surface p-4 text-sm">
        {notices.map((n) => (
          <li key={n.id} data-testid="mail-notice">
            <span className="font-medium">{WHAT[n.outcome] ?? n.outcome}</span> from{" "}
            <span className="break-all">{n.fromAddress}</span>
            {n.detail ? `: ${n.detail}` : ""} (<When date={n.receivedAt} />)
          </li>
        ))}
      </ul>
    </section>
  );
}
