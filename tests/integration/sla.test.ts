// Service levels on real tickets (ADR 024): the due times after each transition, written in the
// transaction of the change, and the queue of tickets at risk. The escalation job has its own
// file (sla-escalation.test.ts): it scans every ticket, so it runs on a database of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { addBusinessMinutes, type BusinessCalendarSpec } from "@/lib/sla/business-time";
import { clearSlaRules } from "@/lib/sla/rules";
import { addReply } from "@/lib/tickets/comments";
import { listTickets } from "@/lib/tickets/search";
import { changePriority, changeStatus } from "@/lib/tickets/service";
import { triageTicket } from "@/lib/tickets/triage";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

const MIN = 60_000;
let tech: ServiceContext;
let requester: ServiceContext;
let category: string;
let urgentPolicy: string;
let calendarId: string;
// Monday to Friday 09:00–12:00 and 13:00–17:30 in Berlin; a holiday on 2026-12-25.
const BERLIN: BusinessCalendarSpec = {
  timeZone: "Europe/Berlin",
  alwaysOpen: false,
  windows: [1, 2, 3, 4, 5].flatMap((day) => [
    { day, start: 9 * 60, end: 12 * 60 },
    { day, start: 13 * 60, end: 17 * 60 + 30 },
  ]),
  holidays: ["2026-12-25"],
};

beforeAll(async () => {
  tech = await makeActor(db, "TECHNICIAN");
  requester = await makeActor(db, "USER");
  category = (await makeCategory(db)).id;
  // Policies for this file's own category only: other files' tickets keep the default one.
  const calendar = await db.businessCalendar.create({
    data: {
      name: `Berlin office ${uniqueSuffix()}`,
      timeZone: BERLIN.timeZone,
      windows: BERLIN.windows,
      holidays: { create: [{ date: new Date("2026-12-25T00:00:00Z"), name: "Christmas" }] },
    },
  });
  calendarId = calendar.id;
  urgentPolicy = (
    await db.slaPolicy.create({
      data: {
        name: `Urgent ${uniqueSuffix()}`,
        position: 1,
        priorities: ["URGENT"],
        categoryIds: [category],
        calendarId: "calendar_24_7",
        firstResponseMinutes: 30,
        nextResponseMinutes: 60,
        resolutionMinutes: 240,
      },
    })
  ).id;
  await db.slaPolicy.create({
    data: {
      name: `Office hours ${uniqueSuffix()}`,
      position: 2,
      categoryIds: [category],
      calendarId,
      firstResponseMinutes: 120,
      nextResponseMinutes: 240,
      resolutionMinutes: 60 * 24,
      atRiskPercent: 25,
    },
  });
  clearSlaRules();
});

afterAll(async () => {
  await db.slaPolicy.deleteMany({ where: { categoryIds: { has: category } } });
  clearSlaRules();
});

const sla = (id: string) =>
  db.ticket.findUniqueOrThrow({
    where: { id },
    select: {
      status: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      slaPolicyId: true,
      firstResponseDueAt: true,
      nextResponseDueAt: true,
      resolutionDueAt: true,
      slaDueAt: true,
      slaWarnAt: true,
      slaCheckAt: true,
      slaPausedAt: true,
      slaPausedMinutes: true,
      nextResponseStartAt: true,
      nextResponseCount: true,
      nextResponseBreaches: true,
    },
  });

describe("due times on a ticket", () => {
  it("a new ticket gets its policy's due times on its business calendar, with the INSERT", async () => {
    const t = await newTicket(requester, category);
    const row = await sla(t.id);
    expect(row.slaPolicyId).not.toBe(urgentPolicy);
    expect(row.firstResponseDueAt).toEqual(addBusinessMinutes(BERLIN, row.createdAt, 120));
    expect(row.resolutionDueAt).toEqual(addBusinessMinutes(BERLIN, row.createdAt, 60 * 24));
    expect(row.slaDueAt).toEqual(row.firstResponseDueAt);
    // At risk in the last 25 %: after 90 of the 120 business minutes.
    expect(row.slaWarnAt).toEqual(addBusinessMinutes(BERLIN, row.createdAt, 90));
    expect(row.slaCheckAt).toEqual(row.slaWarnAt);
    expect(row.nextResponseDueAt).toBeNull();
  });

  it("a change of priority applies the first matching policy again", async () => {
    const t = await newTicket(requester, category);
    const before = await sla(t.id);
    await changePriority(tech, { ticketId: t.id, version: t.version, priority: "URGENT" });
    const after = await sla(t.id);
    expect(after.slaPolicyId).toBe(urgentPolicy);
    // 24/7: plain minutes from creation.
    expect(after.firstResponseDueAt).toEqual(new Date(before.createdAt.getTime() + 30 * MIN));
    expect(after.resolutionDueAt).toEqual(new Date(before.createdAt.getTime() + 240 * MIN));
    expect(after.slaDueAt).toEqual(after.firstResponseDueAt);
  });

  it("first response, then a requester message starts the next response clock; a reply ends it", async () => {
    const t = await newTicket(requester, category);
    await changePriority(tech, { ticketId: t.id, version: t.version, priority: "URGENT" });
    const first = await addReply(tech, { ticketId: t.id, body: "Looking at it." });
    let row = await sla(t.id);
    const frozenFirst = row.firstResponseDueAt;
    expect(frozenFirst).not.toBeNull();
    expect(row.slaDueAt).toEqual(row.resolutionDueAt);

    await addReply(requester, { ticketId: t.id, body: "Still broken." });
    row = await sla(t.id);
    expect(row.nextResponseStartAt).not.toBeNull();
    expect(row.nextResponseDueAt).toEqual(new Date(row.nextResponseStartAt!.getTime() + 60 * MIN));
    expect(row.slaDueAt).toEqual(row.nextResponseDueAt);
    // The met first response keeps its due time (the reports compare against it).
    expect(row.firstResponseDueAt).toEqual(frozenFirst);

    await addReply(tech, { ticketId: t.id, body: "Fixed the cable." });
    row = await sla(t.id);
    expect(row.nextResponseStartAt).toBeNull();
    expect(row.nextResponseDueAt).toBeNull();
    expect(row.nextResponseCount).toBe(1);
    expect(row.nextResponseBreaches).toBe(0);
    expect(first.ticket.version).toBeGreaterThan(0);
  });

  it("an internal note changes no due time and not updatedAt", async () => {
    const t = await newTicket(requester, category);
    const before = await sla(t.id);
    await triageTicket(tech, {
      ticketId: t.id,
      version: t.version,
      body: "Internal only.",
      visibility: "internal",
    });
    const after = await sla(t.id);
    expect(after).toEqual(before);
  });

  it("waiting on the requester stops the clock; resuming adds the paused minutes to the due times", async () => {
    const t = await newTicket(requester, category);
    await changePriority(tech, { ticketId: t.id, version: t.version, priority: "URGENT" });
    await addReply(tech, { ticketId: t.id, body: "Which printer?" });
    let row = await sla(t.id);
    const resolutionDue = row.resolutionDueAt!;
    await changeStatus(tech, { ticketId: t.id, version: row.version, status: "ON_HOLD" });
    row = await sla(t.id);
    expect(row.slaPausedAt).not.toBeNull();
    expect(row.slaDueAt).toBeNull();
    expect(row.slaWarnAt).toBeNull();
    expect(row.slaCheckAt).toBeNull();
    expect(row.resolutionDueAt).toEqual(resolutionDue);

    // Two hours on hold (moved back in time: the clock reads the database, not a fake timer).
    await db.ticket.update({
      where: { id: t.id },
      data: { slaPausedAt: new Date(row.slaPausedAt!.getTime() - 120 * MIN) },
    });
    await changeStatus(tech, { ticketId: t.id, version: row.version, status: "OPEN" });
    row = await sla(t.id);
    expect(row.slaPausedAt).toBeNull();
    expect(row.slaPausedMinutes).toBe(120);
    expect(row.resolutionDueAt).toEqual(new Date(resolutionDue.getTime() + 120 * MIN));
    expect(row.slaDueAt).toEqual(row.resolutionDueAt);
  });

  it("resolving stops every clock and keeps the due times; reopening resumes them", async () => {
    const t = await newTicket(requester, category);
    await changePriority(tech, { ticketId: t.id, version: t.version, priority: "URGENT" });
    let row = await sla(t.id);
    await triageTicket(tech, {
      ticketId: t.id,
      version: row.version,
      status: "RESOLVED",
      assigneeId: tech.actor.id,
      body: "Done.",
      visibility: "public",
    });
    row = await sla(t.id);
    expect(row.status).toBe("RESOLVED");
    expect(row.slaPausedAt).not.toBeNull();
    expect(row.slaDueAt).toBeNull();
    expect(row.resolutionDueAt).not.toBeNull();
    await changeStatus(tech, { ticketId: t.id, version: row.version, status: "OPEN" });
    row = await sla(t.id);
    expect(row.slaPausedAt).toBeNull();
    expect(row.slaDueAt).toEqual(row.resolutionDueAt);
  });
});

describe("the at-risk queue", () => {
  it("lists running tickets whose earliest due time is at risk or past, earliest first", async () => {
    const [late, risky, fine] = [
      await newTicket(requester, category),
      await newTicket(requester, category),
      await newTicket(requester, category),
    ];
    const now = Date.now();
    const set = (id: string, warn: number, due: number) =>
      db.ticket.update({
        where: { id },
        data: { slaWarnAt: new Date(now + warn * MIN), slaDueAt: new Date(now + due * MIN) },
      });
    await set(late.id, -60, -10);
    await set(risky.id, -5, 30);
    await set(fine.id, 60, 120);
    const page = await listTickets(tech.actor, { queue: "at-risk", category: [category] });
    expect(page.sort).toBe("due");
    const numbers = page.items.map((i) => i.number);
    expect(numbers).toEqual([late.number, risky.number]);

    const breached = await listTickets(tech.actor, { category: [category], sla: "breached" });
    expect(breached.items.map((i) => i.number)).toContain(late.number);
    expect(breached.items.map((i) => i.number)).not.toContain(risky.number);
    const onTrack = await listTickets(tech.actor, { category: [category], sla: "on-track" });
    expect(onTrack.items.map((i) => i.number)).toContain(fine.number);
    expect(onTrack.items.map((i) => i.number)).not.toContain(late.number);
  });

  it("a requester's list ignores the queue and the SLA filter (their own tickets only)", async () => {
    const own = await newTicket(requester, category);
    await db.ticket.update({
      where: { id: own.id },
      data: { slaWarnAt: new Date(Date.now() + 60 * MIN) },
    });
    const page = await listTickets(requester.actor, { queue: "at-risk", sla: "breached" });
    expect(page.items.map((i) => i.number)).toContain(own.number);
    expect(page.items.every((i) => i.requester.id === requester.actor.id)).toBe(true);
  });
});

describe("a calendar the arithmetic cannot use", () => {
  it("does not stop a ticket: created and changed without due times", async () => {
    // One minute a week and a 10-week target: no due time within the 5 years searched.
    const odd = (await makeCategory(db)).id;
    const calendar = await db.businessCalendar.create({
      data: {
        name: `Minute a week ${uniqueSuffix()}`,
        timeZone: "Europe/Berlin",
        windows: [{ day: 1, start: 0, end: 1 }],
      },
    });
    await db.slaPolicy.create({
      data: {
        name: `Unreachable ${uniqueSuffix()}`,
        position: 3,
        categoryIds: [odd],
        calendarId: calendar.id,
        firstResponseMinutes: 10 * 7 * 1440,
        nextResponseMinutes: 10 * 7 * 1440,
        resolutionMinutes: 10 * 7 * 1440,
      },
    });
    clearSlaRules();
    try {
      const t = await newTicket(requester, odd);
      const row = await sla(t.id);
      expect(row.status).toBe("NEW");
      expect(row.slaDueAt).toBeNull();
      expect(row.firstResponseDueAt).toBeNull();
      await changePriority(tech, { ticketId: t.id, version: t.version, priority: "HIGH" });
      expect((await sla(t.id)).version).toBe(t.version + 1);
    } finally {
      await db.slaPolicy.deleteMany({ where: { categoryIds: { has: odd } } });
      clearSlaRules();
    }
  });
});
