import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { TICKET_SORTS, type TicketSort } from "@/lib/tickets/schemas";
import { countTickets, countTicketsCapped, listTickets } from "@/lib/tickets/search";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "@/lib/tickets/status";
import { makeActor, makeCategory } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

// Every sort of the ticket table, paged two rows at a time through keyset cursors: the pages
// together are exactly the tickets, in the sort's order, none twice, ties broken by number.
// Ties are deliberate (same title, priority, status, timestamps) so the tiebreak is exercised.
let tech: ServiceContext;
let category: string;

type Row = {
  number: number;
  title: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  slaDueAt: Date | null;
};

const SAME = new Date("2026-06-01T10:00:00.000Z");

beforeAll(async () => {
  tech = await makeActor(db, "TECHNICIAN");
  category = (await makeCategory(db)).id;
  const requester = await makeActor(db, "USER");
  const specs: [string, string, string, Date][] = [
    ["bravo printer", "HIGH", "OPEN", SAME],
    ["alpha mail", "LOW", "NEW", new Date("2026-06-02T09:00:00.000Z")],
    ["bravo printer", "HIGH", "OPEN", SAME],
    ["delta vpn", "URGENT", "RESOLVED", new Date("2026-05-30T08:00:00.000Z")],
    ["charlie disk", "MEDIUM", "ON_HOLD", SAME],
    ["echo wifi", "LOW", "CLOSED", new Date("2026-06-03T12:00:00.000Z")],
    ["alpha mail", "URGENT", "IN_PROGRESS", SAME],
  ];
  for (const [title, priority, status, at] of specs) {
    const t = await newTicket(requester, category, { title });
    const done = status === "RESOLVED" || status === "CLOSED";
    // A running SLA clock (NEW, OPEN, IN_PROGRESS) has a due time; ties on purpose.
    const running = status === "NEW" || status === "OPEN" || status === "IN_PROGRESS";
    // Raw SQL: Prisma's @updatedAt would overwrite the timestamp under test.
    await db.$executeRaw`
      UPDATE "Ticket" SET "priority" = CAST(${priority} AS "TicketPriority"),
        "status" = CAST(${status} AS "TicketStatus"), "createdAt" = ${at}, "updatedAt" = ${at},
        "resolvedAt" = ${done ? at : null}, "slaDueAt" = ${running ? at : null}
      WHERE "id" = ${t.id}`;
  }
});

const rank = (list: readonly string[], v: string) => list.indexOf(v);
const time = (d: Date | null) => (d ? d.getTime() : 0);

/** The order each sort promises, written independently of the SQL. */
const EXPECTED: Record<TicketSort, { keys: ((r: Row) => number | string)[]; desc: boolean }> = {
  newest: { keys: [(r) => time(r.createdAt)], desc: true },
  oldest: { keys: [(r) => time(r.createdAt)], desc: false },
  updated: { keys: [(r) => time(r.updatedAt)], desc: true },
  "updated-asc": { keys: [(r) => time(r.updatedAt)], desc: false },
  priority: {
    keys: [(r) => rank(TICKET_PRIORITIES, r.priority), (r) => time(r.createdAt)],
    desc: true,
  },
  "priority-asc": {
    keys: [(r) => rank(TICKET_PRIORITIES, r.priority), (r) => time(r.createdAt)],
    desc: false,
  },
  "number-desc": { keys: [], desc: true },
  "number-asc": { keys: [], desc: false },
  // Plain lower-case ASCII titles: the same order in every collation.
  "title-asc": { keys: [(r) => r.title], desc: false },
  "title-desc": { keys: [(r) => r.title], desc: true },
  "status-asc": {
    keys: [(r) => rank(TICKET_STATUSES, r.status), (r) => time(r.updatedAt)],
    desc: false,
  },
  "status-desc": {
    keys: [(r) => rank(TICKET_STATUSES, r.status), (r) => time(r.updatedAt)],
    desc: true,
  },
  resolved: { keys: [(r) => time(r.resolvedAt)], desc: true },
  // Running clocks only (the others have no due time).
  due: { keys: [(r) => time(r.slaDueAt)], desc: false },
  "due-desc": { keys: [(r) => time(r.slaDueAt)], desc: true },
};

function expectedOrder(rows: Row[], sort: TicketSort): number[] {
  const { keys, desc } = EXPECTED[sort];
  const cmp = (a: Row, b: Row) => {
    for (const key of [...keys, (r: Row) => r.number]) {
      const [x, y] = [key(a), key(b)];
      if (x < y) return desc ? 1 : -1;
      if (x > y) return desc ? -1 : 1;
    }
    return 0;
  };
  return [...rows].sort(cmp).map((r) => r.number);
}

async function allPages(sort: TicketSort, queue?: "resolved") {
  const numbers: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const result = await listTickets(tech.actor, {
      category: [category],
      sort,
      queue,
      cursor,
      limit: 2,
    });
    expect(result.sort).toBe(sort);
    numbers.push(...result.items.map((t) => t.number));
    if (!result.nextCursor) return numbers;
    cursor = result.nextCursor;
  }
  throw new Error("more pages than tickets");
}

describe("ticket table sorts", () => {
  for (const sort of TICKET_SORTS) {
    it(`${sort}: keyset pages of 2 give every ticket once, in order`, async () => {
      const queue = sort === "resolved" ? "resolved" : undefined;
      const rows = await db.ticket.findMany({
        where: {
          categoryId: category,
          ...(queue && { status: { in: ["RESOLVED", "CLOSED"] }, resolvedAt: { not: null } }),
          ...(sort.startsWith("due") && { slaDueAt: { not: null } }),
        },
        select: {
          number: true,
          title: true,
          priority: true,
          status: true,
          createdAt: true,
          updatedAt: true,
          resolvedAt: true,
          slaDueAt: true,
        },
      });
      expect(rows.length).toBe(queue ? 2 : sort.startsWith("due") ? 4 : 7);
      const got = await allPages(sort, queue);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expectedOrder(rows, sort));
    });
  }

  it("a cursor from another sort restarts at the first page instead of failing", async () => {
    const first = await listTickets(tech.actor, {
      category: [category],
      sort: "title-asc",
      limit: 2,
    });
    const other = await listTickets(tech.actor, {
      category: [category],
      sort: "status-desc",
      cursor: first.nextCursor!,
      limit: 2,
    });
    const fresh = await listTickets(tech.actor, {
      category: [category],
      sort: "status-desc",
      limit: 2,
    });
    expect(other.items.map((t) => t.number)).toEqual(fresh.items.map((t) => t.number));
  });
});

describe("queue totals", () => {
  it("counts exactly, or up to a cap", async () => {
    expect(await countTickets(tech.actor, { category: [category] })).toBe(7);
    expect(await countTicketsCapped(tech.actor, { category: [category] }, 100)).toEqual({
      count: 7,
      capped: false,
    });
    expect(await countTicketsCapped(tech.actor, { category: [category] }, 3)).toEqual({
      count: 3,
      capped: true,
    });
    expect(
      await countTicketsCapped(tech.actor, { category: [category], queue: "open" }, 100),
    ).toEqual({ count: 5, capped: false });
  });
});
