import { describe, expect, it } from "vitest";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "@/lib/tickets/status";
import { planDemoTickets } from "@/prisma/demo-tickets";
import { seedDemo } from "@/prisma/seed";
import { DEMO_CATEGORIES } from "@/tests/support/factories";
import { sealAndVerify } from "@/tests/support/audit";
import { onEmbeddedServer, scratchDatabaseForFile } from "@/tests/support/scratch-db";

// The demo's month of tickets on a database of its own (exact counts). Skipped on the embedded
// fallback of `npm test`, which cannot create scratch databases (see tests/support/scratch-db.ts).
const NOW = new Date("2026-12-03T12:00:00Z");
const DAY = 86_400_000;

const scratch = scratchDatabaseForFile();

const countBy = <K extends string>(rows: { key: K; n: number }[]) =>
  Object.fromEntries(rows.map((r) => [r.key, r.n]));

describe.skipIf(onEmbeddedServer)("the demo tickets", () => {
  it(
    "seed ~60 tickets over 30 days across every status, priority and category, once",
    { timeout: 90_000 },
    async () => {
      const started = performance.now();
      expect(await seedDemo(scratch.url, { now: NOW })).toEqual({ created: true, tickets: 60 });
      const elapsed = performance.now() - started;
      // Restarts (and two instances starting together) add nothing.
      expect(
        await Promise.all([
          seedDemo(scratch.url, { now: NOW }),
          seedDemo(scratch.url, { now: NOW }),
        ]),
      ).toEqual([
        { created: false, tickets: 0 },
        { created: false, tickets: 0 },
      ]);
      console.info(`demo seed: 60 tickets in ${Math.round(elapsed)} ms`);
      // About a second on an idle machine; generous for a loaded CI runner.
      expect(elapsed).toBeLessThan(30_000);

      const tickets = await scratch.db.ticket.findMany({
        include: { category: true, comments: true, assignee: true },
      });
      expect(tickets).toHaveLength(60);
      const byStatus = countBy(
        (await scratch.db.ticket.groupBy({ by: ["status"], _count: true })).map((r) => ({
          key: r.status,
          n: r._count,
        })),
      );
      expect(byStatus).toEqual({
        NEW: 8,
        OPEN: 8,
        IN_PROGRESS: 10,
        ON_HOLD: 6,
        RESOLVED: 12,
        CLOSED: 16,
      });
      const byPriority = countBy(
        (await scratch.db.ticket.groupBy({ by: ["priority"], _count: true })).map((r) => ({
          key: r.priority,
          n: r._count,
        })),
      );
      expect(Object.keys(byPriority).sort()).toEqual([...TICKET_PRIORITIES].sort());
      expect(byPriority).toEqual({ LOW: 18, MEDIUM: 24, HIGH: 12, URGENT: 6 });
      expect(Object.keys(byStatus).sort()).toEqual([...TICKET_STATUSES].sort());
      const byCategory = countBy(
        [...new Set(tickets.map((t) => t.category.name))].map((name) => ({
          key: name,
          n: tickets.filter((t) => t.category.name === name).length,
        })),
      );
      expect(byCategory).toEqual(Object.fromEntries(DEMO_CATEGORIES.map((c) => [c, 12])));

      // Dates: the last 30 days, none in the future, and the timestamps agree with the status.
      for (const t of tickets) {
        expect(t.createdAt.getTime()).toBeGreaterThan(NOW.getTime() - 30 * DAY);
        expect(t.updatedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        expect(t.updatedAt.getTime()).toBeGreaterThanOrEqual(t.createdAt.getTime());
        for (const c of t.comments) {
          expect(c.createdAt.getTime()).toBeGreaterThanOrEqual(t.createdAt.getTime());
          expect(c.createdAt.getTime()).toBeLessThan(NOW.getTime());
        }
        expect(t.resolvedAt !== null).toBe(t.status === "RESOLVED" || t.status === "CLOSED");
        expect(t.closedAt !== null).toBe(t.status === "CLOSED");
        if (t.status !== "NEW") expect(t.firstResponseAt).not.toBeNull();
        if (t.status === "NEW") expect(t.assigneeId).toBeNull();
        if (t.assignee) expect(["ADMIN", "TECHNICIAN"]).toContain(t.assignee.role);
      }
      // Spread over the month: tickets were created on at least 20 different days.
      expect(
        new Set(tickets.map((t) => t.createdAt.toISOString().slice(0, 10))).size,
      ).toBeGreaterThan(20);
      // Conversations, notes, assignments, an unassigned queue, and the demo user's own tickets.
      const replies = tickets.flatMap((t) => t.comments.filter((c) => !c.internal));
      const notes = tickets.flatMap((t) => t.comments.filter((c) => c.internal));
      expect(replies.length).toBeGreaterThan(100);
      expect(notes.length).toBeGreaterThan(20);
      expect(
        tickets.filter((t) => t.comments.some((c) => c.authorId === t.requesterId)).length,
      ).toBeGreaterThan(20);
      expect(tickets.filter((t) => t.assigneeId !== null).length).toBeGreaterThan(40);
      expect(
        tickets.filter((t) => t.status === "OPEN" && t.assigneeId === null).length,
      ).toBeGreaterThanOrEqual(2);
      const demoUser = await scratch.db.user.findUniqueOrThrow({
        where: { email: "user@demo.tessera" },
      });
      const own = tickets.filter((t) => t.requesterId === demoUser.id);
      expect(own.length).toBeGreaterThanOrEqual(12);
      expect(new Set(own.map((t) => t.status)).size).toBeGreaterThanOrEqual(4);
      const tech = await scratch.db.user.findUniqueOrThrow({
        where: { email: "tech@demo.tessera" },
      });
      expect(
        tickets.filter((t) => t.assigneeId === tech.id && t.status !== "CLOSED").length,
      ).toBeGreaterThan(5);

      // One audit event per step, as the person who took it, and the chain verifies.
      const audit = await scratch.db.auditEvent.groupBy({
        by: ["action"],
        where: { entityType: "Ticket" },
        _count: true,
      });
      const byAction = countBy(audit.map((r) => ({ key: r.action, n: r._count })));
      expect(byAction["ticket.create"]).toBe(60);
      expect(byAction["ticket.reply"]).toBe(replies.length);
      expect(byAction["ticket.note"]).toBe(notes.length);
      expect((byAction["ticket.take"] ?? 0) + (byAction["ticket.assign"] ?? 0)).toBeGreaterThan(40);
      expect(byAction["ticket.status"]).toBeGreaterThan(30);
      expect(byAction["ticket.close"]).toBeGreaterThan(0);
      const ticketEvents = await scratch.db.auditEvent.findMany({
        where: { entityType: "Ticket" },
      });
      for (const e of ticketEvents) {
        expect(e.actorId).not.toBeNull();
        expect(e.metadata).toMatchObject({ via: "seed" });
      }
      const notesAudit = ticketEvents.filter((e) => e.action === "ticket.note");
      const noteIds = new Set(notes.map((n) => n.id));
      for (const e of notesAudit)
        expect(noteIds.has((e.metadata as { commentId: string }).commentId)).toBe(true);
      expect(await sealAndVerify(scratch.db)).toMatchObject({ ok: true });
    },
  );

  it("gives the demo tickets the default policy's due times, replayed with their history", async () => {
    const rows = await scratch.db.ticket.findMany({
      select: {
        status: true,
        createdAt: true,
        firstResponseAt: true,
        firstResponseDueAt: true,
        slaDueAt: true,
        slaPausedAt: true,
        slaPolicyId: true,
      },
    });
    expect(rows.length).toBe(60);
    expect(rows.every((r) => r.slaPolicyId === "sla_default")).toBe(true);
    // 24/7, 4 hours: every first response due 4 h after creation.
    for (const r of rows) {
      expect(r.firstResponseDueAt!.getTime() - r.createdAt.getTime()).toBe(4 * 3_600_000);
    }
    const running = rows.filter((r) => ["NEW", "OPEN", "IN_PROGRESS"].includes(r.status));
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((r) => r.slaDueAt !== null && r.slaPausedAt === null)).toBe(true);
    const stopped = rows.filter((r) => !["NEW", "OPEN", "IN_PROGRESS"].includes(r.status));
    expect(stopped.every((r) => r.slaDueAt === null && r.slaPausedAt !== null)).toBe(true);
  });

  it("never adds demo tickets to a desk that already has tickets", async () => {
    // The database above holds tickets now: a later seed (any "now") adds none.
    expect(await seedDemo(scratch.url)).toEqual({ created: false, tickets: 0 });
    expect(await scratch.db.ticket.count()).toBe(60);
  });

  it("plans the same history on every run; only the dates follow now", () => {
    const a = planDemoTickets(NOW);
    const b = planDemoTickets(new Date(NOW.getTime() + 5 * DAY));
    const shape = (p: typeof a) => p.map((t) => [t.title, t.status, t.priority, t.requester]);
    expect(shape(a)).toEqual(shape(b));
    for (const t of a) for (const e of t.events) expect(e.at.getTime()).toBeLessThan(NOW.getTime());
  });
});
