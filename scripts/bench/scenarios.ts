// What the database measurements run: the lib/tickets and lib/audit functions the pages call,
// with the viewers and arguments a busy help desk would use. Loaded only in the
// --conditions=react-server child (these modules are "server-only").
import type pg from "pg";
import { benchId } from "./seed-audit";
import { RARE } from "./words";

export type Scenario = {
  name: string;
  group: string;
  target: number;
  note?: string;
  run: () => Promise<unknown>;
};

export const LIST_TARGET_MS = 50;
export const AUDIT_TARGET_MS = 100;
const DEEP_PAGES = 100;

/** The bench's reference people and rows, found in the seeded data. */
export async function benchFacts(client: pg.Client) {
  const meta = await client.query<{ value: { tickets: number } }>(
    `SELECT value FROM bench_meta WHERE key = 'seed'`,
  );
  const tickets = meta.rows[0]!.value.tickets;
  const { rows: requesters } = await client.query<{ id: string; n: number }>(
    `SELECT "requesterId" AS id, count(*)::int AS n FROM "Ticket" GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  let rare = { word: RARE[0]!, hits: 0 };
  for (const word of RARE) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Ticket" t
       WHERE t."deletedAt" IS NULL AND (t."searchVector" || t."noteSearchVector") @@ websearch_to_tsquery('english', $1)`,
      [word],
    );
    const hits = rows[0]!.n;
    if (hits >= 3 && (rare.hits === 0 || Math.abs(hits - 8) < Math.abs(rare.hits - 8)))
      rare = { word, hits };
  }
  const hitsOf = async (q: string) =>
    (
      await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Ticket" t
         WHERE t."deletedAt" IS NULL AND (t."searchVector" || t."noteSearchVector") @@ websearch_to_tsquery('english', $1)`,
        [q],
      )
    ).rows[0]!.n;
  const { rows: heavyUser } = await client.query<{ email: string }>(
    `SELECT email FROM "User" WHERE id = $1`,
    [requesters[0]!.id],
  );
  const detailNumber = Math.max(1, tickets - 50);
  const { rows: detail } = await client.query<{ comments: number }>(
    `SELECT count(*)::int AS comments FROM "TicketComment" WHERE "ticketId" = $1`,
    [benchId("bench-ticket-", detailNumber)],
  );
  return {
    tickets,
    technician: benchId("bench-tech-", 1),
    otherTechnician: benchId("bench-tech-", 5),
    admin: benchId("bench-admin-", 1),
    network: benchId("bench-cat-", "3"),
    heavyRequester: { ...requesters[0]!, email: heavyUser[0]!.email },
    medianRequester: requesters[Math.floor(requesters.length / 2)]!,
    rare,
    common: { word: "printer", hits: await hitsOf("printer") },
    twoWords: { words: "vpn password", hits: await hitsOf("vpn password") },
    detail: { number: detailNumber, comments: detail[0]!.comments },
  };
}

export async function buildScenarios(client: pg.Client) {
  const facts = await benchFacts(client);
  const { listTickets, listMyTickets, countQueues } = await import("@/lib/tickets/search");
  const { getTicket, getTicketEvents } = await import("@/lib/tickets/queries");
  const { listAuditEvents, AUDIT_PAGE_SIZE } = await import("@/lib/audit/queries");
  const { db } = await import("@/lib/db");
  type Query = Parameters<typeof listTickets>[1];

  const tech = { id: facts.technician, role: "TECHNICIAN" as const };
  const admin = {
    id: facts.admin,
    role: "ADMIN" as const,
    email: "bench-admin-1@bench.tessera.test",
    name: "Admin",
    mustChangePassword: false,
  };
  const heavy = { id: facts.heavyRequester.id, role: "USER" as const };
  const median = { id: facts.medianRequester.id, role: "USER" as const };

  /** Follows nextCursor like a user clicking "next"; returns the cursor of the deepest page. */
  async function deepCursor(query: Query): Promise<{ cursor?: string; page: number }> {
    let cursor: string | undefined;
    let page = 1;
    for (; page <= DEEP_PAGES; page++) {
      const next = (await listTickets(tech, { ...query, cursor })).nextCursor;
      if (!next) break;
      cursor = next;
    }
    return { cursor, page };
  }

  const scenarios: Scenario[] = [];
  const list = (name: string, query: Query, note?: string) =>
    scenarios.push({
      name,
      group: "staff lists",
      target: LIST_TARGET_MS,
      note,
      run: () => listTickets(tech, query),
    });

  const cursors: Record<string, { cursor?: string; page: number }> = {};
  const { TICKET_QUEUES } = await import("@/lib/tickets/schemas");
  for (const queue of TICKET_QUEUES) {
    list(`queue ${queue}: first page`, { queue });
    const deep = await deepCursor({ queue });
    cursors[queue] = deep;
    list(
      `queue ${queue}: page ${deep.page}`,
      { queue, cursor: deep.cursor },
      `keyset cursor after ${deep.page - 1} pages of 25`,
    );
  }
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  list("filters: open, HIGH+URGENT, Network", {
    queue: "open",
    priority: ["HIGH", "URGENT"],
    category: [facts.network],
  });
  list("filters: requester, CLOSED, created in the last year", {
    requester: facts.heavyRequester.id,
    status: ["CLOSED"],
    createdFrom: yearAgo,
  });
  list("filters: assignee, URGENT, sort updated", {
    assignee: facts.otherTechnician,
    priority: ["URGENT"],
    sort: "updated",
  });
  // Service levels (issue 15): the due sort over every running clock, and the SLA filter.
  list("sort: due soonest (running SLA clocks)", { sort: "due" });
  list("filters: SLA breached, sort due", { sla: "breached", sort: "due" });
  list("filters: SLA at risk, URGENT", { sla: "at-risk", priority: ["URGENT"] });
  const search = (name: string, query: Query, note: string) =>
    scenarios.push({
      name,
      group: "search",
      target: LIST_TARGET_MS,
      note,
      run: () => listTickets(tech, query),
    });
  search(
    `search common "${facts.common.word}"`,
    { q: facts.common.word },
    `${facts.common.hits} matching tickets`,
  );
  search(
    `search rare "${facts.rare.word}"`,
    { q: facts.rare.word },
    `${facts.rare.hits} matching tickets`,
  );
  search(
    `search "${facts.twoWords.words}"`,
    { q: facts.twoWords.words },
    `${facts.twoWords.hits} matching tickets`,
  );
  search(
    `search a requester's email "${facts.heavyRequester.email}"`,
    { q: facts.heavyRequester.email },
    `their ${facts.heavyRequester.n} tickets by the person, not the text`,
  );
  search(
    `search "${facts.common.word}" in open queue`,
    { q: facts.common.word, queue: "open" },
    "search + queue",
  );
  scenarios.push({
    name: "queue badge counts (capped at 999)",
    group: "staff lists",
    target: LIST_TARGET_MS,
    run: () => countQueues(tech),
  });
  scenarios.push({
    name: "My tickets: heaviest requester",
    group: "user",
    target: LIST_TARGET_MS,
    note: `${facts.heavyRequester.n} tickets`,
    run: () => listMyTickets(heavy),
  });
  scenarios.push({
    name: "My tickets: median requester",
    group: "user",
    target: LIST_TARGET_MS,
    note: `${facts.medianRequester.n} tickets`,
    run: () => listMyTickets(median),
  });
  scenarios.push({
    name: `user search "${facts.common.word}" (own tickets)`,
    group: "user",
    target: LIST_TARGET_MS,
    note: "heaviest requester",
    run: () => listTickets(heavy, { q: facts.common.word }),
  });
  const detailNote = `#${facts.detail.number}, ${facts.detail.comments} comments`;
  scenarios.push({
    name: "ticket detail (staff)",
    group: "detail",
    target: LIST_TARGET_MS,
    note: detailNote,
    run: () => getTicket(tech, { number: facts.detail.number }),
  });
  scenarios.push({
    name: "ticket detail timeline events (staff)",
    group: "detail",
    target: LIST_TARGET_MS,
    note: detailNote,
    run: () => getTicketEvents(tech, benchId("bench-ticket-", facts.detail.number)),
  });

  // The audit page: listAuditEvents as it is today, and the same query (select, order, page size)
  // with the filters issue 4 adds, as Prisma sends them.
  const auditSelect = {
    id: true,
    createdAt: true,
    actorEmail: true,
    actorRole: true,
    action: true,
    entityType: true,
    entityId: true,
    outcome: true,
    ip: true,
    metadata: true,
  } as const;
  const { rows: maxRow } = await client.query<{ max: string }>(
    `SELECT max(id)::text AS max FROM "AuditEvent"`,
  );
  const maxId = BigInt(maxRow[0]!.max);
  const audit = (
    name: string,
    where: NonNullable<Parameters<typeof db.auditEvent.findMany>[0]>["where"],
    note?: string,
  ) =>
    scenarios.push({
      name,
      group: "audit",
      target: AUDIT_TARGET_MS,
      note,
      run: () =>
        db.auditEvent.findMany({
          where,
          orderBy: { id: "desc" },
          take: AUDIT_PAGE_SIZE + 1,
          select: auditSelect,
        }),
    });
  scenarios.push({
    name: "audit: first page (listAuditEvents)",
    group: "audit",
    target: AUDIT_TARGET_MS,
    run: () => listAuditEvents(admin),
  });
  scenarios.push({
    name: "audit: page 101 (listAuditEvents)",
    group: "audit",
    target: AUDIT_TARGET_MS,
    run: () => listAuditEvents(admin, { before: maxId - 5000n }),
  });
  audit("audit: action = user.update", { action: "user.update" }, "~1% of events");
  audit("audit: actor = a technician", { actorId: facts.technician });
  audit("audit: action + actor", { action: "ticket.assign", actorId: facts.technician });
  audit("audit: outcome = FAILED", { outcome: "FAILED" });
  audit("audit: entity = one ticket", {
    entityType: "Ticket",
    entityId: benchId("bench-ticket-", facts.detail.number),
  });
  audit("audit: action, last 7 days", {
    action: "auth.sign_in",
    createdAt: { gte: new Date(Date.now() - 7 * 86_400_000) },
  });
  audit("audit: action + actor, deep (before)", {
    action: "auth.sign_in",
    actorId: facts.heavyRequester.id,
    id: { lt: maxId / 2n },
  });
  return { scenarios, facts: { ...facts, cursors, yearAgo } };
}
