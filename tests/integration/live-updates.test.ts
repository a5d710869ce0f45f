import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RequestState } from "@/tests/support/request";

// Live updates (docs/decisions/028-live-updates.md) on the real PostgreSQL: the triggers announce
// committed changes only, two hubs (two app instances, two listening connections) both receive
// them, each stream gets only what its viewer may see, and the HTTP routes refuse who they must.
process.env.TESSERA_LIVE_HEARTBEAT_MS = "1000";
process.env.TESSERA_LIVE_MAX_STREAMS_PER_USER = "2";

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", async () =>
  (await import("@/tests/support/request")).nextHeadersMock(state as RequestState),
);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { db } = await import("@/lib/db");
const { LiveHub } = await import("@/lib/live/hub");
const { LIVE_CHANNEL } = await import("@/lib/live/events");
const { liveHub } = await import("@/lib/live/server");
const { addInternalNote, addReply } = await import("@/lib/tickets/comments");
const { makeActor, makeCategory } = await import("@/tests/support/factories");
const { newTicket } = await import("@/tests/support/tickets");
const { onEmbeddedServer } = await import("@/tests/support/scratch-db");
const { actAs, requestHeaders, sessionCookie } = await import("@/tests/support/request");
const streamRoute = await import("@/app/api/live/route");
const presenceRoute = await import("@/app/api/live/presence/route");

type Hub = InstanceType<typeof LiveHub>;
type Got = { event: string; data: Record<string, unknown> };
type Viewer = { id: string; role: "ADMIN" | "TECHNICIAN" | "USER" };

const url = process.env.TEST_DATABASE_URL!;
const hubs: Hub[] = [];
let clock = Date.now();

function newHub(): Hub {
  const hub = new LiveHub({
    connectionString: url,
    maxPerUser: 5,
    presenceTtlMs: 30_000,
    now: () => clock,
  });
  hubs.push(hub);
  hub.start();
  return hub;
}

/** A subscriber that records what it is sent, and lets a test wait for an event. */
function listen(hub: Hub, viewer: Viewer, ticketId: string | null = null) {
  const got: Got[] = [];
  const waiters: { test: (g: Got) => boolean; resolve: (g: Got) => void }[] = [];
  const push = (g: Got) => {
    got.push(g);
    for (const w of waiters.splice(0)) {
      if (w.test(g)) w.resolve(g);
      else waiters.push(w);
    }
  };
  hub.subscribe({
    viewer,
    ticketId,
    change: (e) => push({ event: "change", data: e }),
    presence: (t, people) => push({ event: "presence", data: { ticketId: t, people } }),
    resync: () => push({ event: "resync", data: {} }),
    close: () => {},
  });
  return {
    got,
    next(test: (g: Got) => boolean): Promise<Got> {
      const seen = got.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

const onTicket = (ticketId: string, kind?: string) => (g: Got) =>
  g.event === "change" && g.data.ticketId === ticketId && (!kind || g.data.kind === kind);

let notifier: pg.Client;
/** A committed marker: LISTEN delivers in commit order, so what came before it has arrived. */
async function marker(name: string, requesterId = "nobody") {
  await notifier.query(`SELECT pg_notify($1, $2)`, [
    LIVE_CHANNEL,
    JSON.stringify({ k: "ticket", t: name, n: 0, r: requesterId, p: true }),
  ]);
}

let markers = 0;
/** Waits until every subscriber has had what was committed so far; returns their counts then. */
async function settle(subs: ReturnType<typeof listen>[], requesterIds: string[] = []) {
  const name = `marker-${++markers}`;
  for (const r of ["nobody", ...requesterIds]) await marker(name, r);
  for (const s of subs) await s.next((g) => g.data.ticketId === name);
  return subs.map((s) => s.got.length);
}

let categoryId: string;
beforeAll(async () => {
  notifier = new pg.Client({ connectionString: url });
  await notifier.connect();
  categoryId = (await makeCategory(db)).id;
});

afterAll(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
  await liveHub().stop();
  await notifier.end();
});

describe("live updates from the database", () => {
  it("announces a change only when its transaction commits, never after a rollback", async () => {
    const hub = newHub();
    await hub.ready();
    const staff = await makeActor(db, "TECHNICIAN");
    const requester = await makeActor(db, "USER");
    const ticket = await newTicket(requester, categoryId);
    const s = listen(hub, staff.actor);
    const [start] = await settle([s]);

    const tx = new pg.Client({ connectionString: url });
    await tx.connect();
    try {
      await tx.query("BEGIN");
      await tx.query(
        `INSERT INTO "TicketComment" (id, "ticketId", "authorId", body) VALUES ($1, $2, $3, 'x')`,
        [`livec${Date.now()}`, ticket.id, staff.actor.id],
      );
      // The embedded database (a PGlite socket server) runs one transaction at a time: the
      // marker's NOTIFY would wait for this one, so "nothing before the commit" is checked on
      // PostgreSQL servers only; the commit and the rollback below are checked on both.
      if (!onEmbeddedServer) {
        await marker("before-commit");
        await s.next((g) => g.data.ticketId === "before-commit");
        expect(s.got.slice(start).filter(onTicket(ticket.id))).toEqual([]);
      }
      await tx.query("COMMIT");
      await s.next(onTicket(ticket.id, "comment"));
      // The comment also updates the ticket's search vector (a staff-only "ticket" event): let
      // everything from that commit arrive before counting what the rollback adds.
      await marker("after-commit");
      await s.next((g) => g.data.ticketId === "after-commit");

      const rolledBack = s.got.length;
      await tx.query("BEGIN");
      await tx.query(`UPDATE "Ticket" SET title = 'rolled back' WHERE id = $1`, [ticket.id]);
      await tx.query(
        `INSERT INTO "TicketComment" (id, "ticketId", "authorId", body) VALUES ($1, $2, $3, 'y')`,
        [`livec${Date.now()}r`, ticket.id, staff.actor.id],
      );
      await tx.query("ROLLBACK");
      await marker("after-rollback");
      await s.next((g) => g.data.ticketId === "after-rollback");
      expect(s.got.slice(rolledBack).filter(onTicket(ticket.id))).toEqual([]);
    } finally {
      await tx.end();
    }
  });

  it("reaches both instances, and each stream only what its viewer may see", async () => {
    const [a, b] = [newHub(), newHub()];
    await Promise.all([a.ready(), b.ready()]);
    const staff = await makeActor(db, "TECHNICIAN");
    const requester = await makeActor(db, "USER");
    const stranger = await makeActor(db, "USER");
    const ticket = await newTicket(requester, categoryId);
    const onA = listen(a, staff.actor);
    const onB = listen(b, staff.actor);
    const own = listen(b, requester.actor);
    const other = listen(a, stranger.actor);
    const starts = await settle([onA, onB, own, other], [requester.actor.id, stranger.actor.id]);

    await addInternalNote(staff, { ticketId: ticket.id, body: "Staff only.", attachmentIds: [] });
    await addReply(staff, { ticketId: ticket.id, body: "Public answer.", attachmentIds: [] });
    await marker("scoping-done", requester.actor.id);
    await marker("scoping-done", stranger.actor.id);

    for (const s of [onA, onB, own, other]) await s.next((g) => g.data.ticketId === "scoping-done");
    // Staff on both instances: the note and the reply (and the ticket's own updates).
    const after = (i: number) => [onA, onB, own, other][i]!.got.slice(starts[i]);
    for (const i of [0, 1]) {
      const comments = after(i).filter(onTicket(ticket.id, "comment"));
      expect(comments).toHaveLength(2);
    }
    // The requester: the public reply and the status change it made (NEW → OPEN), never the note.
    const mine = after(2).filter(onTicket(ticket.id));
    expect(mine.map((g) => g.data.kind).sort()).toEqual(["comment", "ticket"]);
    // IDs and the kind only: no content travels.
    expect(Object.keys(mine[0]!.data).sort()).toEqual(["kind", "number", "ticketId"]);
    expect(other.got.filter(onTicket(ticket.id))).toEqual([]);
    expect(after(3).filter(onTicket(ticket.id))).toEqual([]);
  });

  it("keeps staff-only field changes from the requester", async () => {
    const hub = newHub();
    await hub.ready();
    const staff = await makeActor(db, "ADMIN");
    const requester = await makeActor(db, "USER");
    const ticket = await newTicket(requester, categoryId);
    const s = listen(hub, staff.actor);
    const own = listen(hub, requester.actor);
    const [sStart, ownStart] = await settle([s, own], [requester.actor.id]);
    await db.ticket.update({ where: { id: ticket.id }, data: { slaCheckAt: new Date() } });
    await db.ticket.update({ where: { id: ticket.id }, data: { priority: "HIGH" } });
    await marker("fields-done", requester.actor.id);
    await own.next((g) => g.data.ticketId === "fields-done");
    expect(s.got.slice(sStart).filter(onTicket(ticket.id, "ticket"))).toHaveLength(2);
    expect(own.got.slice(ownStart).filter(onTicket(ticket.id, "ticket"))).toHaveLength(1);
  });

  it("passes presence to staff on the ticket on every instance, never to the requester", async () => {
    const [a, b] = [newHub(), newHub()];
    await Promise.all([a.ready(), b.ready()]);
    const ada = await makeActor(db, "TECHNICIAN", { name: "Ada Live" });
    const ben = await makeActor(db, "TECHNICIAN", { name: "Ben Live" });
    const requester = await makeActor(db, "USER");
    const ticket = await newTicket(requester, categoryId);
    const benSees = listen(b, ben.actor, ticket.id);
    const adaSees = listen(a, ada.actor, ticket.id);
    const requesterSees = listen(b, requester.actor, ticket.id);

    await actAs(state, ada.actor);
    const answer = await presenceRoute.POST(presencePost(ticket.id, "replying"));
    expect(answer.status).toBe(204);
    const seen = await benSees.next(
      (g) => g.event === "presence" && (g.data.people as unknown[]).length === 1,
    );
    expect(seen.data.people).toEqual([
      { userId: ada.actor.id, name: "Ada Live", state: "replying" },
    ]);
    // Ada does not see herself.
    await adaSees.next((g) => g.event === "presence");
    const adaPresence = adaSees.got.filter((g) => g.event === "presence");
    expect(adaPresence.every((g) => (g.data.people as unknown[]).length === 0)).toBe(true);

    // 30 s without a heartbeat: gone (the clock is the hub's, moved by the test).
    clock += 31_000;
    b.sweep();
    await benSees.next((g) => g.event === "presence" && (g.data.people as unknown[]).length === 0);
    expect(b.presenceFor(ticket.id, ben.actor)).toEqual([]);
    expect(requesterSees.got.filter((g) => g.event === "presence")).toEqual([]);
    expect(b.presenceFor(ticket.id, requester.actor)).toEqual([]);
  });
});

function presencePost(ticketId: string, presence: string, headers = state.headers): Request {
  const h = new Headers(headers);
  h.set("origin", "http://localhost:3000");
  h.set("sec-fetch-site", "same-origin");
  h.set("content-type", "application/json");
  return new Request("http://localhost:3000/api/live/presence", {
    method: "POST",
    headers: h,
    body: JSON.stringify({ ticketId, state: presence }),
  });
}

describe("the presence route", () => {
  it("refuses requesters, cross-site posts and tickets one may not read", async () => {
    const requester = await makeActor(db, "USER");
    const tech = await makeActor(db, "TECHNICIAN");
    const ticket = await newTicket(requester, categoryId);
    await actAs(state, requester.actor);
    expect((await presenceRoute.POST(presencePost(ticket.id, "viewing"))).status).toBe(403);
    await actAs(state, null);
    expect((await presenceRoute.POST(presencePost(ticket.id, "viewing"))).status).toBe(401);
    await actAs(state, tech.actor);
    const crossSite = presencePost(ticket.id, "viewing");
    const h = new Headers(crossSite.headers);
    h.set("origin", "https://evil.example");
    h.set("sec-fetch-site", "cross-site");
    const evil = new Request(crossSite.url, {
      method: "POST",
      headers: h,
      body: crossSite.body,
      duplex: "half",
    } as RequestInit);
    expect((await presenceRoute.POST(evil)).status).toBe(403);
    expect((await presenceRoute.POST(presencePost("nosuchticket", "viewing"))).status).toBe(404);
    expect((await presenceRoute.POST(presencePost(ticket.id, "shouting"))).status).toBe(400);
  });
});

/** Reads server-sent events from a stream response. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<{ event: string; data: string } | null> {
      for (;;) {
        const cut = buffer.indexOf("\n\n");
        if (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split("\n").filter((l) => !l.startsWith(":"));
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
          const data = lines.find((l) => l.startsWith("data: "))?.slice(6);
          if (event) return { event, data: data ?? "" };
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

function streamRequest(cookie: string | null, ticketId?: string): Request {
  const controller = new AbortController();
  const request = new Request(
    `http://localhost:3000/api/live${ticketId ? `?ticket=${ticketId}` : ""}`,
    { headers: requestHeaders({ cookie }), signal: controller.signal },
  );
  return request;
}

describe("GET /api/live", () => {
  it("streams a requester's own public changes with proxy-safe headers", async () => {
    await liveHub().ready();
    const requester = await makeActor(db, "USER");
    const staff = await makeActor(db, "TECHNICIAN");
    const ticket = await newTicket(requester, categoryId);
    const response = await streamRoute.GET(streamRequest(await sessionCookie(requester.actor)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const sse = sseReader(response);
    expect((await sse.next())?.event).toBe("ready");
    await addInternalNote(staff, { ticketId: ticket.id, body: "Not for you.", attachmentIds: [] });
    await addReply(staff, { ticketId: ticket.id, body: "Hello.", attachmentIds: [] });
    const events: unknown[] = [];
    for (;;) {
      const e = await sse.next();
      const data = JSON.parse(e!.data) as { kind: string; ticketId: string; number: number };
      events.push(data);
      if (data.kind === "comment") break;
    }
    // The note's events never came; the reply's comment is the only comment.
    expect(events).toContainEqual({ kind: "comment", ticketId: ticket.id, number: ticket.number });
    expect(events.filter((e) => (e as { kind: string }).kind === "comment")).toHaveLength(1);
    await sse.cancel();
  });

  it("refuses a signed-out browser and ends the stream of a deactivated user", async () => {
    expect((await streamRoute.GET(streamRequest(null))).status).toBe(401);
    const user = await makeActor(db, "USER");
    const cookie = await sessionCookie(user.actor);
    const response = await streamRoute.GET(streamRequest(cookie));
    expect(response.status).toBe(200);
    const sse = sseReader(response);
    expect((await sse.next())?.event).toBe("ready");
    await db.user.update({ where: { id: user.actor.id }, data: { active: false } });
    // At the next heartbeat (1 s here) the re-check fails: "end", then the stream closes.
    expect(await sse.next()).toEqual({ event: "end", data: '{"reason":"unauthenticated"}' });
    expect(await sse.next()).toBeNull();
    expect((await streamRoute.GET(streamRequest(cookie))).status).toBe(401);
  });

  it("limits the streams one user may open", async () => {
    const user = await makeActor(db, "USER");
    const cookie = await sessionCookie(user.actor);
    const open = [
      await streamRoute.GET(streamRequest(cookie)),
      await streamRoute.GET(streamRequest(cookie)),
    ];
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await streamRoute.GET(streamRequest(cookie));
    expect(third.status).toBe(429);
    await open[0]!.body!.cancel();
    expect((await streamRoute.GET(streamRequest(cookie))).status).toBe(200);
  });
});

describe("the live routes and the session's idle time", () => {
  it("do not renew the session cookie: background traffic is not activity", async () => {
    const { default: middleware } = await import("@/middleware");
    const { NextRequest } = await import("next/server");
    const user = await makeActor(db, "USER");
    // Last seen two minutes ago: any real request renews the cookie.
    const cookie = await sessionCookie(user.actor, { authAgo: 600, seenAgo: 120 });
    const renewed = async (path: string) => {
      const request = new NextRequest(`http://localhost:3000${path}`, {
        headers: requestHeaders({ cookie }),
      });
      return (await middleware(request)).headers.get("set-cookie") ?? "";
    };
    expect(await renewed("/tickets")).toContain("authjs.session-token=");
    expect(await renewed("/api/live")).not.toContain("authjs.session-token=");
    expect(await renewed("/api/live/presence")).not.toContain("authjs.session-token=");
  });
});
