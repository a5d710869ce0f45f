import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { listTickets } from "@/lib/tickets/search";
import { changePriority, takeTicket } from "@/lib/tickets/service";
import { markTicketSeen, unreadTicketIds } from "@/lib/tickets/unread";
import { makeActor, makeCategory } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

// Unread markers and the "Waiting on us" queue, through the real services. Shared database:
// every assertion is about tickets this file created.
let requester: ServiceContext;
let tech: ServiceContext;
let tech2: ServiceContext;
let cat: string;

const unread = async (who: ServiceContext, id: string) =>
  (await unreadTicketIds(who.actor, [id])).has(id);

beforeAll(async () => {
  [requester, tech, tech2, cat] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "TECHNICIAN"),
    makeCategory(db).then((c) => c.id),
  ]);
});
afterAll(() => db.$disconnect());

describe("unread markers", () => {
  it("a new ticket is unread for staff, read for its author, until opened", async () => {
    const t = await newTicket(requester, cat);
    expect(await unread(tech, t.id)).toBe(true);
    expect(await unread(requester, t.id)).toBe(false);
    await markTicketSeen(tech.actor, t.id);
    expect(await unread(tech, t.id)).toBe(false);
  });

  it("someone else's change marks it again; one's own change does not", async () => {
    const t = await newTicket(requester, cat);
    await markTicketSeen(tech.actor, t.id);
    const taken = await takeTicket(tech, { ticketId: t.id, version: t.version });
    expect(await unread(tech, t.id)).toBe(false);
    await addReply(requester, { ticketId: t.id, body: "Still broken after the restart." });
    expect(await unread(tech, t.id)).toBe(true);
    await markTicketSeen(tech.actor, t.id);
    await changePriority(tech2, { ticketId: t.id, version: taken.version, priority: "HIGH" });
    expect(await unread(tech, t.id)).toBe(true);
  });

  it("an internal note marks it for staff, never for the requester", async () => {
    const t = await newTicket(requester, cat);
    await markTicketSeen(tech.actor, t.id);
    await markTicketSeen(requester.actor, t.id);
    await addInternalNote(tech2, { ticketId: t.id, body: "Checked the switch port." });
    expect(await unread(tech, t.id)).toBe(true);
    expect(await unread(requester, t.id)).toBe(false);
    await addReply(tech2, { ticketId: t.id, body: "Please try again now." });
    expect(await unread(requester, t.id)).toBe(true);
  });

  it("list pages carry the marker per row", async () => {
    const t = await newTicket(requester, cat);
    const page = await listTickets(tech.actor, { queue: "unassigned", limit: 100 });
    expect(page.items.find((i) => i.id === t.id)?.unread).toBe(true);
    await markTicketSeen(tech.actor, t.id);
    const again = await listTickets(tech.actor, { queue: "unassigned", limit: 100 });
    expect(again.items.find((i) => i.id === t.id)?.unread).toBe(false);
  });
});

describe("Waiting on us", () => {
  const waiting = async (id: string) =>
    (await db.ticket.findUniqueOrThrow({ where: { id }, select: { awaitingReply: true } }))
      .awaitingReply;

  it("follows the author of the last public message; notes change nothing", async () => {
    const t = await newTicket(requester, cat);
    expect(await waiting(t.id)).toBe(true);
    await addReply(tech, { ticketId: t.id, body: "Which printer is it?" });
    expect(await waiting(t.id)).toBe(false);
    await addInternalNote(tech, { ticketId: t.id, body: "Probably the third floor." });
    expect(await waiting(t.id)).toBe(false);
    await addReply(requester, { ticketId: t.id, body: "The one by the kitchen." });
    expect(await waiting(t.id)).toBe(true);
  });

  it("is a staff queue of open tickets whose requester spoke last, urgent first", async () => {
    const answered = await newTicket(requester, cat);
    await addReply(tech, { ticketId: answered.id, body: "Done, please check." });
    const low = await newTicket(requester, cat);
    const urgent = await newTicket(requester, cat);
    await changePriority(tech, {
      ticketId: urgent.id,
      version: urgent.version,
      priority: "URGENT",
    });
    const page = await listTickets(tech.actor, { queue: "waiting", limit: 100 });
    const ids = page.items.map((i) => i.id);
    expect(page.sort).toBe("priority");
    expect(ids).toContain(low.id);
    expect(ids).toContain(urgent.id);
    expect(ids).not.toContain(answered.id);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(low.id));
    // A requester's list ignores queues: only their own tickets, whatever the URL says.
    const own = await listTickets(requester.actor, { queue: "waiting", limit: 100 });
    expect(own.items.every((i) => i.requester.id === requester.actor.id)).toBe(true);
  });

  it("All open and Assigned to me put urgent work on top by default", async () => {
    expect((await listTickets(tech.actor, { queue: "open", limit: 1 })).sort).toBe("priority");
    expect((await listTickets(tech.actor, { queue: "mine", limit: 1 })).sort).toBe("priority");
    expect((await listTickets(tech.actor, { queue: "unassigned", limit: 1 })).sort).toBe("newest");
    expect((await listTickets(tech.actor, { queue: "open", sort: "updated", limit: 1 })).sort).toBe(
      "updated",
    );
  });
});
