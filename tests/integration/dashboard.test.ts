import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ForbiddenError } from "@/lib/errors";
import { getStaffDashboard, getUserDashboard, TREND_DAYS } from "@/lib/tickets/stats";
import type { ServiceContext } from "@/lib/service-context";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { assignTicket, changeStatus, createTicket, deleteTicket } from "@/lib/tickets/service";
import type { TicketPriority, TicketStatus } from "@/lib/tickets/status";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";

// Known data in a category of its own, so every staff figure filtered by it is exact whatever
// other test files left in the database.
const NOTE_WORD = `notesecret${uniqueSuffix().replace(/[^a-z0-9]/g, "")}`;

let userA: ServiceContext;
let userB: ServiceContext;
let tech1: ServiceContext;
let tech2: ServiceContext;
let admin: ServiceContext;
let cat: string;
const t: Record<string, { id: string; number: number }> = {};

async function make(
  requester: ServiceContext,
  name: string,
  priority: TicketPriority = "MEDIUM",
): Promise<void> {
  t[name] = await createTicket(admin, {
    title: `Dashboard ${name} ${uniqueSuffix()}`,
    description: "Seeded for the dashboard test.",
    categoryId: cat,
    priority,
    requesterId: requester.actor.id,
  });
}

async function version(name: string) {
  return (await db.ticket.findUniqueOrThrow({ where: { id: t[name]!.id } })).version;
}

async function move(name: string, ...statuses: TicketStatus[]) {
  for (const status of statuses) {
    await changeStatus(tech1, { ticketId: t[name]!.id, status, version: await version(name) });
  }
}

async function assign(name: string, to: ServiceContext) {
  const input = { ticketId: t[name]!.id, assigneeId: to.actor.id, version: await version(name) };
  await assignTicket(admin, input);
}

beforeAll(async () => {
  [userA, userB, tech1, tech2, admin] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN", { name: "Dash Tech One" }),
    makeActor(db, "TECHNICIAN", { name: "Dash Tech Two" }),
    makeActor(db, "ADMIN"),
  ]);
  cat = (await makeCategory(db)).id;
  await make(userA, "newA"); // NEW, MEDIUM, unassigned
  await make(userA, "urgent", "URGENT"); // tech1, IN_PROGRESS
  await make(userB, "hold", "HIGH"); // tech1, ON_HOLD
  await make(userB, "opened"); // tech2, OPEN (assigning a NEW ticket opens it)
  await make(userA, "resolved"); // RESOLVED today
  await make(userB, "closed"); // CLOSED today (closing sets resolvedAt)
  await make(userA, "deleted", "URGENT"); // soft-deleted: counted nowhere
  await make(userA, "old", "LOW"); // NEW, unassigned, created 10 days ago

  await assign("urgent", tech1);
  await move("urgent", "IN_PROGRESS");
  await assign("hold", tech1);
  await move("hold", "IN_PROGRESS", "ON_HOLD");
  await assign("opened", tech2);
  await move("resolved", "OPEN", "RESOLVED"); // In progress would need an assignee
  await move("closed", "CLOSED");
  await deleteTicket(admin, { ticketId: t.deleted!.id });
  // Back-dating is test set-up only: no service moves a ticket's creation time.
  await db.ticket.update({
    where: { id: t.old!.id },
    data: { createdAt: new Date(Date.now() - 10 * 86_400_000) },
  });

  await addReply(tech1, { ticketId: t.urgent!.id, body: "Public answer for A." });
  await addInternalNote(tech1, { ticketId: t.urgent!.id, body: `Internal ${NOTE_WORD}.` });
  await addReply(userA, { ticketId: t.newA!.id, body: "My own follow-up." });
  await addReply(tech2, { ticketId: t.opened!.id, body: "Answer for B only." });
});
afterAll(() => db.$disconnect());

describe("staff dashboard", () => {
  it("counts open tickets by status and priority, unassigned and mine", async () => {
    const stats = await getStaffDashboard(tech1.actor, { categoryId: cat });
    expect(stats.open).toBe(5);
    expect(stats.byStatus).toEqual({ NEW: 2, OPEN: 1, IN_PROGRESS: 1, ON_HOLD: 1 });
    expect(stats.byPriority).toEqual({ LOW: 1, MEDIUM: 2, HIGH: 1, URGENT: 1 });
    expect(stats.unassigned).toBe(2);
    expect(stats.mine).toBe(2);
    expect((await getStaffDashboard(tech2.actor, { categoryId: cat })).mine).toBe(1);
    expect((await getStaffDashboard(admin.actor, { categoryId: cat })).mine).toBe(0);
  });

  it("lists open tickets per technician, most loaded first", async () => {
    const stats = await getStaffDashboard(admin.actor, { categoryId: cat });
    expect(stats.perAssignee).toEqual([
      { id: tech1.actor.id, name: "Dash Tech One", open: 2 },
      { id: tech2.actor.id, name: "Dash Tech Two", open: 1 },
    ]);
  });

  it("lists the oldest open tickets first, at most five, never closed or deleted ones", async () => {
    const stats = await getStaffDashboard(admin.actor, { categoryId: cat });
    expect(stats.oldest).toHaveLength(5);
    expect(stats.oldest[0]!.number).toBe(t.old!.number);
    const numbers = stats.oldest.map((o) => o.number);
    for (const gone of ["resolved", "closed", "deleted"]) {
      expect(numbers).not.toContain(t[gone]!.number);
    }
    const urgent = stats.oldest.find((o) => o.number === t.urgent!.number);
    expect(urgent).toMatchObject({ status: "IN_PROGRESS", assigneeName: "Dash Tech One" });
  });

  it("counts created and resolved per UTC day over 30 days", async () => {
    const stats = await getStaffDashboard(admin.actor, { categoryId: cat });
    expect(stats.trend).toHaveLength(TREND_DAYS);
    const today = new Date().toISOString().slice(0, 10);
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    expect(stats.trend.at(-1)).toEqual({ day: today, created: 6, resolved: 2 });
    expect(stats.trend.find((p) => p.day === tenDaysAgo)).toEqual({
      day: tenDaysAgo,
      created: 1,
      resolved: 0,
    });
    expect(stats.trend.reduce((n, p) => n + p.created, 0)).toBe(7);
    expect(stats.trend.reduce((n, p) => n + p.resolved, 0)).toBe(2);
  });

  it("drops a ticket from the resolved count when it is reopened", async () => {
    await make(userA, "reopen");
    await move("reopen", "OPEN", "RESOLVED");
    const before = await getStaffDashboard(admin.actor, { categoryId: cat });
    await move("reopen", "OPEN");
    const after = await getStaffDashboard(admin.actor, { categoryId: cat });
    expect(after.trend.at(-1)!.resolved).toBe(before.trend.at(-1)!.resolved - 1);
    expect(after.open).toBe(before.open + 1);
    await move("reopen", "RESOLVED"); // back out of the open figures
  });

  it("is refused to users", async () => {
    await expect(getStaffDashboard(userA.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("user dashboard", () => {
  it("shows only the user's own open tickets", async () => {
    const stats = await getUserDashboard(userA.actor);
    expect(stats.openTickets.map((o) => o.number).sort()).toEqual(
      [t.newA!.number, t.urgent!.number, t.old!.number].sort(),
    );
    const b = await getUserDashboard(userB.actor);
    expect(b.openTickets.map((o) => o.number).sort()).toEqual(
      [t.hold!.number, t.opened!.number].sort(),
    );
  });

  it("shows public replies from others on the user's tickets, never internal notes", async () => {
    const stats = await getUserDashboard(userA.actor);
    expect(stats.recentReplies).toHaveLength(1);
    expect(stats.recentReplies[0]).toMatchObject({
      excerpt: "Public answer for A.",
      authorName: "Dash Tech One",
      ticket: { number: t.urgent!.number },
    });
    expect(JSON.stringify(stats)).not.toContain(NOTE_WORD);
    expect(JSON.stringify(stats)).not.toContain("Answer for B only.");
    expect(JSON.stringify(await getUserDashboard(userB.actor))).not.toContain(NOTE_WORD);
  });

  it("is about the viewer's own tickets even for staff", async () => {
    const stats = await getUserDashboard(tech1.actor);
    expect(stats.openTickets).toEqual([]);
    expect(stats.recentReplies).toEqual([]);
  });
});
