// The ticket sidebar's "Time" (issue 15 §5), staff only: the entries, the totals and the form.
import { TimeEntryForm } from "@/components/time/time-entry-form";
import { TimeEntryItem } from "@/components/time/time-entry-item";
import { formatMinutes } from "@/lib/time/duration";
import type { TicketTime } from "@/lib/time/queries";

export function TimePanel({
  ticketId,
  time,
  today,
}: {
  ticketId: string;
  time: TicketTime;
  today: string;
}) {
  return (
    <section aria-labelledby="time-heading" className="space-y-3" data-testid="time-panel">
      <h2 id="time-heading" className="text-sm font-semibold">
        Time
      </h2>
      <p className="text-sm" data-testid="time-totals">
        Total {formatMinutes(time.totalMinutes)} · billable {formatMinutes(time.billableMinutes)}
      </p>
      {time.entries.length > 0 && (
        <ul className="space-y-3 text-sm">
          {time.entries.map((entry) => (
            <TimeEntryItem key={entry.id} entry={entry} today={today} />
          ))}
        </ul>
      )}
      <TimeEntryForm ticketId={ticketId} today={today} />
    </section>
  );
}
