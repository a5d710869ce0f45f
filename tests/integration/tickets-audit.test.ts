import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { listTickets } from "@/lib/tickets/search";
import type { ServiceContext } from "@/lib/service-context";
import { addReply } from "@/lib/tickets/comments";
import { changeStatus, createTicket } from "@/lib/tickets/service";
import { TicketListQuerySchema } from "@/lib/tickets/schemas";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { auditFor, newTicket } from "@/tests/support/tickets";

// The change and its audit event commit together or not at all. The only stand-in here is an
// audit write that fails on demand (the database stays real), to prove a failure leaves neither.
const failing = vi.hoisted(() => new Set<string>());
vi.mock("@/lib/audit", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/audit")>();
  return {
    ...real,
    recordAudit: async (...args: Parameters<typeof real.recordAudit>) => {
      if (failing.has(args[1].action)) throw new Error("audit store unavailable");
      return real.recordAudit(...args);
    },
  };
});

let user: ServiceContext;
let tech: ServiceContext;
let cat: string;

beforeAll(async () => {
  [user, tech] = await Promise.all([makeActor(db, "USER"), makeActor(db, "TECHNICIAN")]);
  cat = (await makeCategory(db)).id;
});
afterEach(() => failing.clear());
afterAll(() => db.$disconnect());

describe("audit in the same transaction", () => {
  it("writes the ticket and its event in one transaction (same xmin)", async () => {
    const t = await newTicket(user, cat);
    const [event] = await auditFor(t.id, "ticket.create");
    const [ticketTx] = await db.$queryRaw<{ xmin: string }[]>`
      SELECT xmin::text FROM "Ticket" WHERE id = ${t.id}`;
    const [eventTx] = await db.$queryRaw<{ xmin: string }[]>`
      SELECT xmin::text FROM "AuditEvent" WHERE id = ${event!.id}`;
    expect(ticketTx!.xmin).toBe(eventTx!.xmin);
  });

  it("creates no ticket when the audit event cannot be written", async () => {
    failing.add("ticket.create");
    const title = `Never stored ${uniqueSuffix()}`;
    await expect(createTicket(user, { title, description: "", categoryId: cat })).rejects.toThrow(
      /audit store unavailable/,
    );
    expect(await db.ticket.count({ where: { title } })).toBe(0);
  });

  it("rolls back a reply, its status change and its search text together", async () => {
    let t = await newTicket(user, cat);
    t = await changeStatus(tech, { ticketId: t.id, version: 1, status: "OPEN" });
    t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "ON_HOLD" });
    failing.add("ticket.reply");
    const word = `zanzibar${uniqueSuffix().replace(/[^a-z0-9]/g, "")}`;
    await expect(addReply(user, { ticketId: t.id, body: `See ${word}` })).rejects.toThrow();
    expect(await db.ticketComment.count({ where: { ticketId: t.id } })).toBe(0);
    expect(await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
      status: "ON_HOLD",
      version: t.version,
    });
    const hits = await listTickets(tech.actor, TicketListQuerySchema.parse({ q: word }));
    expect(hits.items).toEqual([]);
    expect(await auditFor(t.id, "ticket.reply")).toHaveLength(0);
  });

  it("leaves the status untouched when the status event fails", async () => {
    const t = await newTicket(user, cat);
    failing.add("ticket.status");
    await expect(
      changeStatus(tech, { ticketId: t.id, version: 1, status: "OPEN" }),
    ).rejects.toThrow();
    expect(await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
      status: "NEW",
      version: 1,
    });
  });
});
