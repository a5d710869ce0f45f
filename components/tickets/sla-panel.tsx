import { Badge } from "@/components/ui/badge";
import { formatExact, type DateContext } from "@/lib/dates";
import { SLA_TARGET_LABELS } from "@/lib/sla/clock";
import { dueBadge } from "@/lib/sla/format";
import type { TicketSla, TicketSlaTarget } from "@/lib/sla/queries";
import { SlaBadge } from "./sla-badge";

/** Staff: each SLA target of the ticket, with its due time in the viewer's zone. */
export function SlaPanel({ sla, dates }: { sla: TicketSla; dates: DateContext }) {
  const targets = sla.targets.filter((t) => t.dueAt || t.metAt);
  return (
    <section
      aria-labelledby="sla-heading"
      className="space-y-2 rounded-lg border border-line bg-surface p-4 text-sm"
      data-testid="sla-panel"
    >
      <h2 id="sla-heading" className="font-semibold">
        Service level
        {sla.policyName && (
          <span className="ml-2 font-normal text-fg-muted">{sla.policyName} policy</span>
        )}
      </h2>
      {sla.paused && (
        <p className="text-fg-muted">
          The clock is stopped while the ticket is not being worked on.
        </p>
      )}
      {targets.length === 0 ? (
        <p className="text-fg-muted">No service-level targets apply to this ticket.</p>
      ) : (
        <dl className="grid grid-cols-1 gap-2 min-[400px]:grid-cols-3">
          {targets.map((t) => (
            <div key={t.target} className="min-w-0">
              <dt className="text-fg-muted">{SLA_TARGET_LABELS[t.target]}</dt>
              <dd className="mt-0.5">
                <TargetState target={t} warnAt={sla.warnAt} dates={dates} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {sla.nextResponses.count > 0 && (
        <p className="text-fg-muted">
          Next responses given: {sla.nextResponses.count}, late: {sla.nextResponses.late}.
        </p>
      )}
    </section>
  );
}

function TargetState({
  target,
  warnAt,
  dates,
}: {
  target: TicketSlaTarget;
  warnAt: Date | null;
  dates: DateContext;
}) {
  if (target.metAt) {
    const late = target.dueAt !== null && target.metAt > target.dueAt;
    return (
      <span className="flex flex-wrap items-center gap-1">
        <Badge tone={late ? "danger" : "success"}>{late ? "Missed" : "Met"}</Badge>
        <span className="text-fg-muted">{formatExact(target.metAt, dates)}</span>
      </span>
    );
  }
  if (!target.dueAt) return <span className="text-fg-muted">None</span>;
  if (!target.running) {
    return <span className="text-fg-muted">Due {formatExact(target.dueAt, dates)} (stopped)</span>;
  }
  // Only the earliest target's "at risk" moment is stored; the others show due or breached.
  return <SlaBadge badge={dueBadge(target.dueAt, warnAt, dates)} />;
}
