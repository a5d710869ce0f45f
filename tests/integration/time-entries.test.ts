import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseDuration, formatMinutes, todayIn } from "@/lib/time/duration";
import { TicketTriageSchema } from "@/lib/tickets/schemas";
import { TimeEntryCreateSchema } from "@/lib/time/schemas";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { newTicket } from "@/tests/support/tickets";

// Issue 15 §5: time logged on tickets by staff; each edits and deletes their own entries (admins
// any), every change audited with before/after; requesters never see them.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { logTimeAction, updateTimeEntryAction, deleteTimeEntryAction } =
  await import("@/lib/time/actions");
const { logTime } = await import("@/lib/time/service");
const { ticketTimeEntries } = await import("@/lib/time/queries");
const { triageTicket } = await import("@/lib/tickets/triage");

const db = createTestDb();
type Actor = Awaited<ReturnType<typeof makeActor>>;
let requester: Actor, tech: Actor, tech2: Actor, admin: Actor;
let cat: string;

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  [requester, tech, tech2, admin] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "ADMIN"),
  ]);
  cat = (await makeCategory(db)).id;
});
afterAll(() => db.$disconnect());

const entryAudit = (entryId: string) =>
  db.auditEvent.findMany({
    where: { entityType: "TimeEntry", entityId: entryId },
    orderBy: { id: "asc" },
  });

describe("durations (unit)", () => {
  it.each([
    ["90", 90],
    ["45m", 45],
    ["45 min", 45],
    ["1h 30m", 90],
    ["1h30m", 90],
    ["1.5h", 90],
    ["1,5 h", 90],
    [".25h", 15],
    ["2 hours", 120],
    ["2h", 120],
  ])("reads %s as %i minutes", (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });
  it.each(["", "abc", "1x", "h", "1h 30", "-5", "1:30"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });
  it("keeps entries between 1 minute and 24 hours", () => {
    const parse = (duration: string) =>
      TimeEntryCreateSchema.safeParse({ ticketId: "t", duration }).success;
    expect([parse("0"), parse("1"), parse("24h"), parse("1441"), parse("25h")]).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });
  it("parses its own output again (the form sends the values its schema made)", () => {
    for (const input of [
      { ticketId: "t", duration: "1h 30m", billable: true, workDate: "2026-01-05" },
      { ticketId: "t", duration: "45" },
    ]) {
      const once = TimeEntryCreateSchema.parse(input);
      expect(TimeEntryCreateSchema.parse(once)).toEqual(once);
    }
    for (const timeSpent of ["", "1.5h", undefined]) {
      const once = TicketTriageSchema.parse({ ticketId: "t", version: 1, timeSpent });
      expect(TicketTriageSchema.parse(once)).toEqual(once);
    }
    const minutes = (duration: unknown) =>
      TimeEntryCreateSchema.safeParse({ ticketId: "t", duration }).success;
    expect([minutes(90), minutes(0), minutes(1441), minutes(1.5)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it("formats minutes and today's date in a zone", () => {
    expect([formatMinutes(45), formatMinutes(120), formatMinutes(95)]).toEqual([
      "45 min",
      "2 h",
      "1 h 35 min",
    ]);
    const late = new Date("2026-03-01T23:30:00Z");
    expect([
      todayIn("UTC", late),
      todayIn("Asia/Tokyo", late),
      todayIn("America/New_York", late),
    ]).toEqual(["2026-03-01", "2026-03-02", "2026-03-01"]);
  });
});

describe("logging time", () => {
  it("logs an entry for staff, audited, with totals; today by default", async () => {
    const t = await newTicket(requester, cat);
    await actAs(state, tech.actor);
    const logged = await logTimeAction({
      ticketId: t.id,
      duration: "1h 30m",
      note: "Reinstalled the driver",
      billable: true,
    });
    expect(logged).toMatchObject({ ok: true });
    const id = (logged as { data: { id: string } }).data.id;
    const row = await db.timeEntry.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      ticketId: t.id,
      userId: tech.actor.id,
      minutes: 90,
      billable: true,
    });
    expect(row.workDate.toISOString().slice(0, 10)).toBe(todayIn("UTC"));
    const [event] = await entryAudit(id);
    expect(event).toMatchObject({
      action: "time.logged",
      actorId: tech.actor.id,
      after: { minutes: 90, billable: true, note: "Reinstalled the driver" },
      metadata: { ticketId: t.id, number: t.number },
    });

    await logTime(
      admin,
      { ticketId: t.id, duration: 15, workDate: "2026-01-02", note: "", billable: false },
      { today: "2026-01-05" },
    );
    const time = await ticketTimeEntries(tech.actor, t.id);
    expect([time.totalMinutes, time.billableMinutes, time.entries.length]).toEqual([105, 90, 2]);
    expect(time.entries.find((e) => e.id === id)?.canEdit).toBe(true);
    expect(time.entries.find((e) => e.id !== id)?.canEdit).toBe(false);
  });

  it("refuses requesters (log and read) and a day in the future", async () => {
    const t = await newTicket(requester, cat);
    await actAs(state, requester.actor);
    expect(await logTimeAction({ ticketId: t.id, duration: "10" })).toMatchObject({ ok: false });
    await expect(ticketTimeEntries(requester.actor, t.id)).rejects.toThrow();
    await expect(
      logTime(
        tech,
        { ticketId: t.id, duration: 10, workDate: "2026-01-06", note: "", billable: false },
        { today: "2026-01-05" },
      ),
    ).rejects.toThrow(/future/);
    await actAs(state, tech.actor);
    expect(
      await logTimeAction({ ticketId: t.id, duration: "10", workDate: "2999-01-01" }),
    ).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/future/),
    });
    expect(await db.timeEntry.count({ where: { ticketId: t.id } })).toBe(0);
  });

  it("logs the reply box's time spent in the reply's transaction", async () => {
    const t = await newTicket(requester, cat);
    const result = await triageTicket(tech, {
      ticketId: t.id,
      version: t.version,
      body: "Looked into it.",
      visibility: "public",
      timeSpent: 25,
      timeSpentOn: "2026-01-05",
    });
    const [entry, ...more] = await db.timeEntry.findMany({ where: { ticketId: t.id } });
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ minutes: 25, userId: tech.actor.id });
    const [event] = await entryAudit(entry!.id);
    const reply = await db.auditEvent.findFirstOrThrow({
      where: { entityId: t.id, action: "ticket.reply" },
    });
    expect(event!.requestId).toBe(reply.requestId);
    expect(result.commentId).not.toBeNull();
    // A stale version rolls both back.
    await expect(
      triageTicket(tech, {
        ticketId: t.id,
        version: t.version,
        body: "again",
        visibility: "public",
        timeSpent: 5,
        timeSpentOn: "2026-01-05",
      }),
    ).rejects.toThrow();
    expect(await db.timeEntry.count({ where: { ticketId: t.id } })).toBe(1);
  });
});

describe("changing and removing entries", () => {
  async function entryOf(actor: Actor) {
    const t = await newTicket(requester, cat);
    return logTime(
      actor,
      { ticketId: t.id, duration: 30, workDate: "", note: "first", billable: false },
      { today: "2026-01-05" },
    );
  }

  it("lets the author edit and delete their own, audited with before/after", async () => {
    const { id } = await entryOf(tech);
    await actAs(state, tech.actor);
    expect(
      await updateTimeEntryAction({
        entryId: id,
        duration: "45",
        workDate: "2026-01-04",
        note: "first",
        billable: true,
      }),
    ).toMatchObject({ ok: true });
    expect(await db.timeEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({
      minutes: 45,
      billable: true,
    });
    await actAs(state, tech.actor);
    expect(await deleteTimeEntryAction({ entryId: id })).toMatchObject({ ok: true });
    expect(await db.timeEntry.count({ where: { id } })).toBe(0);
    const events = await entryAudit(id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "time.logged",
        null,
        { minutes: 30, workDate: "2026-01-05", note: "first", billable: false },
      ],
      [
        "time.updated",
        { minutes: 30, workDate: "2026-01-05", billable: false },
        { minutes: 45, workDate: "2026-01-04", billable: true },
      ],
      [
        "time.deleted",
        { minutes: 45, workDate: "2026-01-04", note: "first", billable: true },
        null,
      ],
    ]);
  });

  it("refuses another technician's entry, and lets an admin change any", async () => {
    const { id } = await entryOf(tech);
    await actAs(state, tech2.actor);
    const edit = { entryId: id, duration: "5", workDate: "2026-01-05", note: "", billable: false };
    expect(await updateTimeEntryAction(edit)).toMatchObject({ ok: false });
    await actAs(state, tech2.actor);
    expect(await deleteTimeEntryAction({ entryId: id })).toMatchObject({ ok: false });
    await actAs(state, requester.actor);
    expect(await deleteTimeEntryAction({ entryId: id })).toMatchObject({ ok: false });
    expect(await db.timeEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({ minutes: 30 });
    const refusals = await db.auditEvent.findMany({
      where: {
        action: { in: ["time.update", "time.delete"] },
        outcome: "REFUSED",
        actorId: tech2.actor.id,
      },
    });
    expect(refusals.length).toBe(2);

    await actAs(state, admin.actor);
    expect(await updateTimeEntryAction(edit)).toMatchObject({ ok: true });
    expect(await db.timeEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({ minutes: 5 });
  });
});
