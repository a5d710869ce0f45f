import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { getTicket, getTicketEvents } from "@/lib/tickets/queries";
import { TicketListQuerySchema } from "@/lib/tickets/schemas";
import {
  SNIPPET_END,
  SNIPPET_START,
  countQueues,
  countTickets,
  countTicketsCapped,
  listMyTickets,
  listTickets,
} from "@/lib/tickets/search";
import type { ServiceContext } from "@/lib/service-context";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { changePriority, changeStatus, takeTicket } from "@/lib/tickets/service";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

// Who sees what, for user A, user B, a technician and an admin. The secret words exist only in an
// internal note: no user-facing read may return them or even count them.
const NOTE_WORD = `xylophone${uniqueSuffix().replace(/[^a-z0-9]/g, "")}`;
const PUBLIC_WORD = `tonercartridge${uniqueSuffix().replace(/[^a-z0-9]/g, "")}`;
const DESC_WORD = `printerjam${uniqueSuffix().replace(/[^a-z0-9]/g, "")}`;

let a: ServiceContext;
let b: ServiceContext;
let tech: ServiceContext;
let admin: ServiceContext;
let ticketA: { id: string; number: number };
let ticketB: { id: string; number: number };
let cat: string;

beforeAll(async () => {
  [a, b, tech, admin] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "ADMIN"),
  ]);
  cat = (await makeCategory(db)).id;
  ticketA = await newTicket(a, cat, {
    title: "Printer in room 4",
    description: `The ${DESC_WORD} happens every morning when the printer warms up.`,
  });
  ticketB = await newTicket(b, cat, { title: "VPN drops", description: "Since Monday." });
  await addReply(tech, { ticketId: ticketA.id, body: `I replaced the ${PUBLIC_WORD}.` });
  await addInternalNote(tech, { ticketId: ticketA.id, body: `Requester broke it, ${NOTE_WORD}.` });
});
afterAll(() => db.$disconnect());

const q = (raw: Record<string, unknown>) => TicketListQuerySchema.parse(raw);

describe("ticket detail", () => {
  it("shows a user their own ticket without internal notes", async () => {
    const detail = await getTicket(a.actor, { number: ticketA.number });
    expect(detail.comments.map((c) => c.internal)).toEqual([false]);
    expect(JSON.stringify(detail)).not.toContain(NOTE_WORD);
    expect(detail.can).toMatchObject({ note: false, triage: false, reply: true, delete: false });
  });

  it("answers a foreign ticket exactly like an unknown one", async () => {
    const foreign = await getTicket(b.actor, { id: ticketA.id }).catch((e: unknown) => e);
    const unknown = await getTicket(b.actor, { id: "c-no-such-ticket" }).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((foreign as Error).message).toBe((unknown as Error).message);
    await expect(getTicket(a.actor, { number: ticketB.number })).rejects.toThrow(NotFoundError);
  });

  it("shows staff every ticket with its internal notes", async () => {
    for (const viewer of [tech, admin]) {
      const detail = await getTicket(viewer.actor, { id: ticketA.id });
      expect(detail.comments.map((c) => c.internal)).toEqual([false, true]);
      expect(detail.comments[1]!.body).toContain(NOTE_WORD);
      expect(detail.can.note).toBe(true);
      await expect(getTicket(viewer.actor, { id: ticketB.id })).resolves.toBeTruthy();
    }
  });

  it("gives users no audit timeline and staff the ticket's events", async () => {
    expect(await getTicketEvents(a.actor, ticketA.id)).toEqual([]);
    await expect(getTicketEvents(b.actor, ticketA.id)).rejects.toThrow(NotFoundError);
    const events = await getTicketEvents(tech.actor, ticketA.id);
    expect(events.map((e) => e.action)).toEqual(["ticket.create", "ticket.reply", "ticket.note"]);
  });
});

describe("lists, counts and search", () => {
  it("lists only the user's own tickets, whatever queue or filter they ask for", async () => {
    for (const raw of [{}, { queue: "open" }, { assignee: "none" }, { requester: b.actor.id }]) {
      const page = await listTickets(a.actor, q(raw));
      expect(page.items.map((i) => i.id)).toEqual([ticketA.id]);
      expect(await countTickets(a.actor, q(raw))).toBe(1);
    }
  });

  it("never matches internal notes for users: not in hits, counts or snippets", async () => {
    expect((await listTickets(a.actor, q({ q: NOTE_WORD }))).items).toEqual([]);
    expect(await countTickets(a.actor, q({ q: NOTE_WORD }))).toBe(0);
    expect((await listMyTickets(a.actor, { q: NOTE_WORD })).items).toEqual([]);
    const hit = await listTickets(a.actor, q({ q: DESC_WORD }));
    expect(hit.items.map((i) => i.id)).toEqual([ticketA.id]);
    expect(hit.items[0]!.snippet).toContain(`${SNIPPET_START}${DESC_WORD}${SNIPPET_END}`);
    expect(JSON.stringify(hit)).not.toContain(NOTE_WORD);
  });

  it("matches public replies for the requester and nobody else's tickets", async () => {
    expect((await listTickets(a.actor, q({ q: PUBLIC_WORD }))).items.map((i) => i.id)).toEqual([
      ticketA.id,
    ]);
    expect((await listTickets(b.actor, q({ q: PUBLIC_WORD }))).items).toEqual([]);
  });

  it("lets staff search internal notes, with web-search syntax", async () => {
    for (const viewer of [tech, admin]) {
      const page = await listTickets(viewer.actor, q({ q: NOTE_WORD }));
      expect(page.items.map((i) => i.id)).toEqual([ticketA.id]);
      expect(page.items[0]!.snippet).not.toContain(NOTE_WORD); // snippets: description only
      expect(await countTickets(viewer.actor, q({ q: NOTE_WORD }))).toBe(1);
    }
    const quoted = await listTickets(tech.actor, q({ q: `"${DESC_WORD} happens" -vpn` }));
    expect(quoted.items.map((i) => i.id)).toEqual([ticketA.id]);
    const excluded = await listTickets(tech.actor, q({ q: `${DESC_WORD} -printer` }));
    expect(excluded.items).toEqual([]);
  });

  it("staff queues and filters", async () => {
    const requester = await makeActor(db, "USER");
    const t1 = await newTicket(requester, cat);
    const t2 = await newTicket(requester, cat);
    await takeTicket(tech, { ticketId: t2.id, version: 1 });
    const unassigned = await listTickets(
      tech.actor,
      q({ queue: "unassigned", requester: requester.actor.id }),
    );
    expect(unassigned.items.map((i) => i.id)).toEqual([t1.id]);
    const mine = await listTickets(tech.actor, q({ queue: "mine", requester: requester.actor.id }));
    expect(mine.items.map((i) => i.id)).toEqual([t2.id]);
    expect(mine.items[0]!.assignee).toEqual({ id: tech.actor.id, name: expect.any(String) });
    await changePriority(tech, { ticketId: t1.id, version: 1, priority: "URGENT" });
    const urgent = await listTickets(
      tech.actor,
      q({ priority: "URGENT,HIGH", requester: requester.actor.id }),
    );
    expect(urgent.items.map((i) => i.id)).toEqual([t1.id]);
    const resolved = await changeStatus(tech, { ticketId: t2.id, version: 2, status: "RESOLVED" });
    const done = await listTickets(
      tech.actor,
      q({ queue: "resolved", requester: requester.actor.id }),
    );
    expect(done.items.map((i) => i.id)).toEqual([resolved.id]);
    expect(done.sort).toBe("resolved");
    const today = new Date().toISOString().slice(0, 10);
    const inRange = await countTickets(
      tech.actor,
      q({ requester: requester.actor.id, createdFrom: today, createdTo: today, category: cat }),
    );
    expect(inRange).toBe(2);
    expect(
      await countTickets(tech.actor, q({ requester: requester.actor.id, createdTo: "2000-01-01" })),
    ).toBe(0);
    const counts = await countQueues(tech.actor);
    expect(counts!.unassigned.count).toBeGreaterThanOrEqual(1);
    expect(await countQueues(a.actor)).toBeNull();
    const capped = await countTicketsCapped(tech.actor, q({ requester: requester.actor.id }), 1);
    expect(capped).toEqual({ count: 1, capped: true });
    expect(await countTicketsCapped(a.actor, q({}), 5)).toEqual({ count: 1, capped: false });
  });
});

describe("keyset pagination", () => {
  it("pages through every ticket once, in order, for each sort", async () => {
    const requester = await makeActor(db, "USER");
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await newTicket(requester, cat)).id);
    for (const sort of ["newest", "oldest", "updated", "priority"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listTickets(
          tech.actor,
          q({ requester: requester.actor.id, sort, limit: 3, cursor }),
        );
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(7);
      if (sort === "oldest") expect(seen).toEqual(ids);
      if (sort === "newest") expect(seen).toEqual([...ids].reverse());
    }
  });

  it("ignores a forged or foreign cursor instead of failing", async () => {
    const forged = Buffer.from(
      JSON.stringify({ s: "newest", k: ["'; DROP TABLE x"], n: 1 }),
    ).toString("base64url");
    const page = await listTickets(a.actor, q({ cursor: forged }));
    expect(page.items.map((i) => i.id)).toEqual([ticketA.id]);
    const wrongSort = Buffer.from(
      JSON.stringify({ s: "priority", k: ["NEW", "x"], n: 1 }),
    ).toString("base64url");
    await expect(
      listTickets(tech.actor, q({ sort: "priority", cursor: wrongSort })),
    ).resolves.toBeTruthy();
  });

  it("puts the requester's open tickets first in My tickets", async () => {
    const requester = await makeActor(db, "USER");
    const done = await newTicket(requester, cat);
    const open = await newTicket(requester, cat);
    const closed = await changeStatus(tech, { ticketId: done.id, version: 1, status: "CLOSED" });
    const page = await listMyTickets(requester.actor, { limit: 1 });
    expect(page.items.map((i) => i.id)).toEqual([open.id]);
    const next = await listMyTickets(requester.actor, { limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((i) => i.id)).toEqual([closed.id]);
    expect(next.nextCursor).toBeNull();
  });
});
