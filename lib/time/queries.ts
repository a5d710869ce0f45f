import "server-only";
// The time logged on a ticket (issue 15 §5): staff only; requesters never see it.
import { assertCan, canOn } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/service-context";

export type TimeEntryView = {
  id: string;
  minutes: number;
  workDate: string;
  note: string;
  billable: boolean;
  author: string;
  /** The viewer may change or remove it (their own, or an admin). */
  canEdit: boolean;
};

export type TicketTime = {
  entries: TimeEntryView[];
  totalMinutes: number;
  billableMinutes: number;
};

export async function ticketTimeEntries(viewer: Viewer, ticketId: string): Promise<TicketTime> {
  assertCan(viewer, "time:log");
  const rows = await db.timeEntry.findMany({
    where: { ticketId, ticket: { deletedAt: null } },
    orderBy: [{ workDate: "desc" }, { createdAt: "desc" }],
    take: 500,
    select: {
      id: true,
      userId: true,
      minutes: true,
      workDate: true,
      note: true,
      billable: true,
      user: { select: { name: true } },
    },
  });
  const entries = rows.map((r) => ({
    id: r.id,
    minutes: r.minutes,
    workDate: r.workDate.toISOString().slice(0, 10),
    note: r.note,
    billable: r.billable,
    author: r.user.name,
    canEdit: canOn(viewer, "time:edit", r.userId),
  }));
  return {
    entries,
    totalMinutes: entries.reduce((n, e) => n + e.minutes, 0),
    billableMinutes: entries.reduce((n, e) => n + (e.billable ? e.minutes : 0), 0),
  };
}
