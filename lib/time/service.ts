import "server-only";
// Time logged on tickets (issue 15 §5): staff only ("time:log"); each entry is changed or removed
// by whoever logged it, or by an admin ("time:edit": own / all). Every write and its audit event
// ("time.logged", "time.updated", "time.deleted", with before/after) commit together.
import { changeRecorder } from "@/lib/audit/change";
import { assertCan, assertCanOn } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { withTicket } from "@/lib/tickets/mutation";
import type {
  TimeEntryCreateData,
  TimeEntryDeleteData,
  TimeEntryUpdateData,
} from "@/lib/time/schemas";

export const ENTRY_NOT_FOUND = "Time entry not found.";
export const FUTURE_MESSAGE = "The date cannot be in the future.";
const OWN_ONLY = "You can only change the time you logged yourself.";

/** What an entry is, as audited and compared. */
export type TimeEntryFields = {
  minutes: number;
  workDate: string;
  note: string;
  billable: boolean;
};

/** "Today" in the viewer's zone ("YYYY-MM-DD"), from the action; the latest day one may log. */
export type TimeOptions = { today: string };

const recordTimeChange = changeRecorder("TimeEntry");
const asDate = (day: string) => new Date(`${day}T00:00:00.000Z`);
const asDay = (date: Date) => date.toISOString().slice(0, 10);

function assertNotFuture(workDate: string, today: string) {
  if (workDate > today) throw new ValidationError(FUTURE_MESSAGE, { workDate: [FUTURE_MESSAGE] });
}

/**
 * Logs an entry on a ticket inside the caller's transaction (the sidebar form, or the reply box
 * whose reply lands in the same transaction). The caller has checked "time:log".
 */
export async function insertTimeEntry(
  tx: Tx,
  ctx: ServiceContext,
  ticket: { id: string; number: number; categoryId: string },
  fields: TimeEntryFields,
): Promise<{ id: string }> {
  const entry = await tx.timeEntry.create({
    data: {
      ticketId: ticket.id,
      // The category the work was done under (the reports group by it).
      categoryId: ticket.categoryId,
      userId: ctx.actor.id,
      minutes: fields.minutes,
      workDate: asDate(fields.workDate),
      note: fields.note,
      billable: fields.billable,
    },
    select: { id: true },
  });
  await recordTimeChange(tx, ctx, "time.logged", entry.id, null, fields, {
    ticketId: ticket.id,
    number: ticket.number,
  });
  return entry;
}

export async function logTime(
  ctx: ServiceContext,
  input: TimeEntryCreateData,
  options: TimeOptions,
): Promise<{ id: string }> {
  assertCan(ctx.actor, "time:log");
  const workDate = input.workDate || options.today;
  assertNotFuture(workDate, options.today);
  return withTicket(ctx, "time.log", input.ticketId, (tx, ticket) =>
    insertTimeEntry(tx, ctx, ticket, {
      minutes: input.duration,
      workDate,
      note: input.note,
      billable: input.billable,
    }),
  );
}

/** The entry on a ticket that still exists, and the right to change it (own, or an admin). */
async function loadOwnEntry(tx: Tx, ctx: ServiceContext, entryId: string) {
  const entry = await tx.timeEntry.findFirst({
    where: { id: entryId, ticket: { deletedAt: null } },
    select: {
      id: true,
      userId: true,
      ticketId: true,
      minutes: true,
      workDate: true,
      note: true,
      billable: true,
      ticket: { select: { number: true } },
    },
  });
  if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
  assertCanOn(ctx.actor, "time:edit", entry.userId, OWN_ONLY);
  const fields: TimeEntryFields = {
    minutes: entry.minutes,
    workDate: asDay(entry.workDate),
    note: entry.note,
    billable: entry.billable,
  };
  return { entry, fields, metadata: { ticketId: entry.ticketId, number: entry.ticket.number } };
}

export async function updateTimeEntry(
  ctx: ServiceContext,
  input: TimeEntryUpdateData,
  options: TimeOptions,
): Promise<{ id: string }> {
  assertCan(ctx.actor, "time:edit");
  assertNotFuture(input.workDate, options.today);
  return db.$transaction(
    async (tx) => {
      const { entry, fields, metadata } = await loadOwnEntry(tx, ctx, input.entryId);
      const next: TimeEntryFields = {
        minutes: input.duration,
        workDate: input.workDate,
        note: input.note,
        billable: input.billable,
      };
      const keys = (Object.keys(next) as (keyof TimeEntryFields)[]).filter(
        (k) => next[k] !== fields[k],
      );
      if (keys.length === 0) return { id: entry.id };
      await tx.timeEntry.update({
        where: { id: entry.id },
        data: { ...next, workDate: asDate(next.workDate) },
      });
      const pick = (from: TimeEntryFields) => Object.fromEntries(keys.map((k) => [k, from[k]]));
      await recordTimeChange(tx, ctx, "time.updated", entry.id, pick(fields), pick(next), metadata);
      return { id: entry.id };
    },
    { isolationLevel: "ReadCommitted" },
  );
}

export async function deleteTimeEntry(
  ctx: ServiceContext,
  input: TimeEntryDeleteData,
): Promise<{ id: string }> {
  assertCan(ctx.actor, "time:edit");
  return db.$transaction(
    async (tx) => {
      const { entry, fields, metadata } = await loadOwnEntry(tx, ctx, input.entryId);
      await tx.timeEntry.delete({ where: { id: entry.id } });
      await recordTimeChange(tx, ctx, "time.deleted", entry.id, fields, null, {
        ...metadata,
        loggedBy: entry.userId,
      });
      return { id: entry.id };
    },
    { isolationLevel: "ReadCommitted" },
  );
}
