import "server-only";
// Ticket lists: staff queues, filters, sort, full-text search and keyset pagination, all scoped
// to the viewer. Raw SQL (Prisma.sql tagged templates, every value a bind parameter) because
// Prisma's query API can express neither row-value keyset comparisons nor text search; the page's
// rows are then loaded with Prisma's API, scoped again. Index plan: the tickets migration.
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { canOnAny, scopeOf } from "@/lib/auth/permissions";
import {
  TICKET_LIST_SELECT,
  visibleTo,
  type TicketListItem,
  type TicketViewer,
} from "@/lib/tickets/queries";
import {
  PAGE_SIZE_DEFAULT,
  TICKET_QUEUES,
  TITLE_MAX,
  type TicketListQuery,
  type TicketQueue,
  type TicketSort,
} from "@/lib/tickets/schemas";
import { TICKET_PRIORITIES, TICKET_STATUSES, isOpenStatus } from "@/lib/tickets/status";
import { unreadTicketIds } from "@/lib/tickets/unread";

export type TicketListPage = {
  items: (TicketListItem & { snippet?: string; unread: boolean })[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
  sort: TicketSort | "open-first";
};

/** Highlight markers in search snippets (private-use characters; the page splits on them). */
export const SNIPPET_START = "\uE000";
export const SNIPPET_END = "\uE001";
const HEADLINE_OPTIONS = `MaxFragments=1, MaxWords=30, MinWords=12, StartSel=${SNIPPET_START}, StopSel=${SNIPPET_END}`;

// Literal lists (not parameters) so the planner can match the partial queue indexes.
const OPEN_SQL = Prisma.sql`t."status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD')`;
const DONE_SQL = Prisma.sql`t."status" IN ('RESOLVED', 'CLOSED')`;

type KeyKind = "timestamp" | "priority" | "status" | "text" | "int";
type SortKey = {
  sql: Prisma.Sql;
  kind: KeyKind;
  value: (item: TicketListItem) => string | number | null;
};
type SortSpec = { keys: SortKey[]; direction: "ASC" | "DESC" };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const createdAt: SortKey = {
  sql: Prisma.sql`t."createdAt"`,
  kind: "timestamp",
  value: (i) => iso(i.createdAt),
};
const updatedAt: SortKey = {
  sql: Prisma.sql`t."updatedAt"`,
  kind: "timestamp",
  value: (i) => iso(i.updatedAt),
};
const priority: SortKey = {
  sql: Prisma.sql`t."priority"`,
  kind: "priority",
  value: (i) => i.priority,
};
const status: SortKey = { sql: Prisma.sql`t."status"`, kind: "status", value: (i) => i.status };
const title: SortKey = { sql: Prisma.sql`t."title"`, kind: "text", value: (i) => i.title };
const due: SortKey = {
  sql: Prisma.sql`t."slaDueAt"`,
  kind: "timestamp",
  value: (i) => iso(i.slaDueAt),
};

/**
 * Every order is (keys..., "number") in ONE direction, paged by a row comparison on exactly those
 * columns. Index-backed at any depth (partial indexes WHERE "deletedAt" IS NULL, migrations
 * tickets, ticket_list_indexes_search_stats, saved_views_list_sorts): newest/oldest (createdAt),
 * updated (updatedAt), priority (priority, createdAt; open-only for the work queues), resolved,
 * number (Ticket_number_key), title, status (status, updatedAt). Requester, category and
 * assignee are not sortable: their order is another table's column, which no Ticket index holds.
 */
const SORTS: Record<TicketSort | "open-first", SortSpec> = {
  newest: { keys: [createdAt], direction: "DESC" },
  oldest: { keys: [createdAt], direction: "ASC" },
  updated: { keys: [updatedAt], direction: "DESC" },
  "updated-asc": { keys: [updatedAt], direction: "ASC" },
  priority: { keys: [priority, createdAt], direction: "DESC" },
  "priority-asc": { keys: [priority, createdAt], direction: "ASC" },
  "number-desc": { keys: [], direction: "DESC" },
  "number-asc": { keys: [], direction: "ASC" },
  "title-asc": { keys: [title], direction: "ASC" },
  "title-desc": { keys: [title], direction: "DESC" },
  "status-asc": { keys: [status, updatedAt], direction: "ASC" },
  "status-desc": { keys: [status, updatedAt], direction: "DESC" },
  resolved: {
    keys: [{ sql: Prisma.sql`t."resolvedAt"`, kind: "timestamp", value: (i) => iso(i.resolvedAt) }],
    direction: "DESC",
  },
  // Running SLA clocks only (Ticket_sla_due_idx): a ticket without a due time has no place here.
  due: { keys: [due], direction: "ASC" },
  "due-desc": { keys: [due], direction: "DESC" },
  "open-first": {
    keys: [
      {
        sql: Prisma.sql`(CASE WHEN ${OPEN_SQL} THEN 1 ELSE 0 END)`,
        kind: "int",
        value: (i) => (isOpenStatus(i.status) ? 1 : 0),
      },
      updatedAt,
    ],
    direction: "DESC",
  },
};

/** A cursor value typed back in SQL; validated first, so a cast can never fail. */
function castCursorValue(kind: KeyKind, value: string | number | null) {
  if (kind === "priority") return Prisma.sql`CAST(${String(value)} AS "TicketPriority")`;
  if (kind === "status") return Prisma.sql`CAST(${String(value)} AS "TicketStatus")`;
  if (kind === "text") return Prisma.sql`CAST(${String(value)} AS text)`;
  if (kind === "int") return Prisma.sql`${Number(value)}::int`;
  return Prisma.sql`CAST(${String(value)} AS timestamp(3))`;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const validKey: Record<KeyKind, (v: unknown) => boolean> = {
  // Round-trips through Date: no rolled-over days (2024-02-30) and no year 0000, which
  // PostgreSQL's timestamp refuses with an error.
  timestamp: (v) =>
    typeof v === "string" &&
    ISO_MS.test(v) &&
    !v.startsWith("0000") &&
    !Number.isNaN(Date.parse(v)) &&
    new Date(v).toISOString() === v,
  priority: (v) => typeof v === "string" && (TICKET_PRIORITIES as readonly string[]).includes(v),
  status: (v) => typeof v === "string" && (TICKET_STATUSES as readonly string[]).includes(v),
  // A title as stored (at most TITLE_MAX characters; the cursor's length is capped as well).
  text: (v) => typeof v === "string" && v.length <= TITLE_MAX,
  int: (v) => v === 0 || v === 1,
};

/** Ticket numbers are PostgreSQL `integer`s: a larger cursor value would fail its cast. */
const INT4_MAX = 2_147_483_647;

type Cursor = { s: string; k: (string | number | null)[]; n: number };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** A cursor that does not parse, or belongs to another sort, restarts at the first page. */
export function decodeCursor(raw: string | undefined, sort: string, kinds: KeyKind[]) {
  if (!raw) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Cursor;
    const valid =
      c.s === sort &&
      Number.isInteger(c.n) &&
      c.n >= 0 &&
      c.n <= INT4_MAX &&
      Array.isArray(c.k) &&
      c.k.length === kinds.length &&
      c.k.every((v, i) => validKey[kinds[i]!](v));
    return valid ? c : null;
  } catch {
    return null;
  }
}

/**
 * What was typed, read two ways and ORed: as written (a whole identifier such as
 * `budget_v7_FINAL.xlsx` is one token) and with `_ . \ /` as spaces (its parts, in order). The
 * search vectors hold both readings of every text (migration `search_identifiers`).
 */
const tsquery = (q: string) =>
  Prisma.sql`(websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('english', ${splitIdentifiers(q)}))`;

export function splitIdentifiers(q: string): string {
  return q.replace(/[_.\\/]+/g, " ");
}

/**
 * A search snippet as plain text: ts_headline cuts a fragment of the description, which is
 * Markdown; the list shows words, not `**`, `[text](url)` or `> `. Bounded input (about 30 words).
 */
export function plainSnippet(snippet: string): string {
  const edge = `\\s()${SNIPPET_START}${SNIPPET_END}`;
  return snippet
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, "$1")
    .replace(/^\s{0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])\s+/gm, "")
    .replace(/[*~`]+/g, "")
    .replace(new RegExp(`(^|[${edge}])_+|_+(?=[${edge}.,!?:;]|$)`, "g"), "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** `1042` or `#1042`: the number a technician typed to open a ticket directly. */
export function ticketNumberIn(q: string | undefined): number | null {
  const m = q?.trim().match(/^#?(\d{1,9})$/);
  return m ? Number(m[1]) : null;
}

/** The ticket with that number, when the viewer may read it (else null: no hint it exists). */
export async function findVisibleTicketNumber(
  viewer: TicketViewer,
  number: number,
): Promise<number | null> {
  const ticket = await db.ticket.findFirst({
    where: { number, ...visibleTo(viewer) },
    select: { number: true },
  });
  return ticket?.number ?? null;
}

/** People whose name or email contains what was typed: staff find a requester's tickets. */
const REQUESTER_MATCH_MIN = 3;
const REQUESTER_MATCH_MAX = 50;
async function requestersMatching(q: string): Promise<string[]> {
  const text = q.trim();
  if (text.length < REQUESTER_MATCH_MIN) return [];
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u."id" FROM "User" u
    WHERE u."name" ILIKE ${pattern} OR u."email" ILIKE ${pattern}
    ORDER BY u."id" LIMIT ${REQUESTER_MATCH_MAX}`;
  return rows.map((r) => r.id);
}

/**
 * The WHERE conditions for a viewer and a list state (everything but the cursor). The scope is the
 * viewer's "ticket:read" (every ticket, or their own; `mine` narrows it to their own); queues and
 * the assignee and requester filters only mean something over every ticket. Search also matches
 * internal notes where the viewer may read every note ("ticket:note" on all).
 */
async function conditions(
  viewer: TicketViewer,
  query: TicketListQuery,
  sort: string,
  mine: boolean,
): Promise<Prisma.Sql[]> {
  // "Now" as the stored timestamps are written (UTC, timestamp(3)).
  const now = Prisma.sql`CAST(${new Date().toISOString()} AS timestamp(3))`;
  const all = !mine && canOnAny(viewer, "ticket:read");
  const notes = !mine && canOnAny(viewer, "ticket:note");
  const where: Prisma.Sql[] = [Prisma.sql`t."deletedAt" IS NULL`];
  if (scopeOf(viewer.role, "ticket:read") === "none") where.push(Prisma.sql`FALSE`);
  if (!all) where.push(Prisma.sql`t."requesterId" = ${viewer.id}`);
  if (all) {
    if (query.queue === "unassigned") where.push(OPEN_SQL, Prisma.sql`t."assigneeId" IS NULL`);
    if (query.queue === "mine") where.push(OPEN_SQL, Prisma.sql`t."assigneeId" = ${viewer.id}`);
    if (query.queue === "open") where.push(OPEN_SQL);
    if (query.queue === "resolved") where.push(DONE_SQL);
    if (query.queue === "waiting") where.push(OPEN_SQL, Prisma.sql`t."awaitingReply"`);
    // At risk or breached: the earliest due target entered its last share (ADR 024).
    if (query.queue === "at-risk") where.push(Prisma.sql`t."slaWarnAt" <= ${now}`);
  }
  if (sort === "due" || sort === "due-desc") where.push(Prisma.sql`t."slaDueAt" IS NOT NULL`);
  if (all && query.sla === "breached") where.push(Prisma.sql`t."slaDueAt" < ${now}`);
  if (all && query.sla === "at-risk") {
    where.push(Prisma.sql`t."slaWarnAt" <= ${now}`, Prisma.sql`t."slaDueAt" >= ${now}`);
  }
  if (all && query.sla === "on-track") where.push(Prisma.sql`t."slaWarnAt" > ${now}`);
  if (sort === "resolved") where.push(Prisma.sql`t."resolvedAt" IS NOT NULL`);
  if (query.status?.length) {
    where.push(Prisma.sql`t."status" = ANY(CAST(${query.status} AS "TicketStatus"[]))`);
  }
  if (query.priority?.length) {
    where.push(Prisma.sql`t."priority" = ANY(CAST(${query.priority} AS "TicketPriority"[]))`);
  }
  if (query.category?.length) {
    where.push(Prisma.sql`t."categoryId" = ANY(CAST(${query.category} AS text[]))`);
  }
  if (all && query.assignee) {
    if (query.assignee === "none") where.push(Prisma.sql`t."assigneeId" IS NULL`);
    else {
      const assignee = query.assignee === "me" ? viewer.id : query.assignee;
      where.push(Prisma.sql`t."assigneeId" = ${assignee}`);
    }
  }
  if (all && query.requester) where.push(Prisma.sql`t."requesterId" = ${query.requester}`);
  if (query.createdFrom) {
    where.push(Prisma.sql`t."createdAt" >= CAST(${query.createdFrom} AS timestamp(3))`);
  }
  if (query.createdTo) {
    where.push(
      Prisma.sql`t."createdAt" < CAST(${query.createdTo} AS timestamp(3)) + interval '1 day'`,
    );
  }
  if (query.q) {
    // Title, description and public replies; with notes, internal notes too (the expression the
    // GIN index is built on). Over every ticket, also the tickets of requesters whose name or
    // email contains the text (a BitmapOr of the GIN and requester indexes).
    const text = notes
      ? Prisma.sql`(t."searchVector" || t."noteSearchVector") @@ ${tsquery(query.q)}`
      : Prisma.sql`t."searchVector" @@ ${tsquery(query.q)}`;
    const people = all ? await requestersMatching(query.q) : [];
    where.push(
      people.length
        ? Prisma.sql`(${text} OR t."requesterId" = ANY(CAST(${people} AS text[])))`
        : text,
    );
  }
  return where;
}

const WORK_QUEUES = new Set<string>(["open", "mine", "waiting"]);

function resolveSort(viewer: TicketViewer, query: TicketListQuery, mine: boolean) {
  if (mine) return "open-first" as const;
  if (query.sort === "resolved" && query.queue !== "resolved") return "newest" as const;
  if (query.sort) return query.sort;
  if (query.queue === "resolved") return "resolved" as const;
  // The earliest due first: what breaks a promise next is on top.
  if (query.queue === "at-risk") return "due" as const;
  // The working queues put urgent work on top (priority, then age).
  if (query.queue && WORK_QUEUES.has(query.queue)) return "priority" as const;
  return "newest" as const;
}

/**
 * A page of tickets for the viewer. Over every ticket ("ticket:read" on all): queues (`queue`),
 * filters, search, sort. Over one's own tickets: those only, whatever the query says (queue,
 * assignee and requester are ignored).
 * `options.mine`: the requester's "My tickets" order (open first, then recently updated).
 */
export async function listTickets(
  viewer: TicketViewer,
  query: TicketListQuery,
  options: { mine?: boolean } = {},
): Promise<TicketListPage> {
  const mine = options.mine === true;
  const sort = resolveSort(viewer, query, mine);
  const spec = SORTS[sort];
  const limit = Math.min(Math.max(query.limit ?? PAGE_SIZE_DEFAULT, 1), 100);
  const where = await conditions(viewer, query, sort, mine);
  const cursor = decodeCursor(
    query.cursor,
    sort,
    spec.keys.map((k) => k.kind),
  );
  const keys = [...spec.keys.map((k) => k.sql), Prisma.sql`t."number"`];
  if (cursor) {
    const values = [
      ...cursor.k.map((v, i) => castCursorValue(spec.keys[i]!.kind, v)),
      Prisma.sql`${cursor.n}::int`,
    ];
    const op = spec.direction === "DESC" ? Prisma.sql`<` : Prisma.sql`>`;
    where.push(Prisma.sql`(${Prisma.join(keys)}) ${op} (${Prisma.join(values)})`);
  }
  const dir = spec.direction === "DESC" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const orderBy = Prisma.join(keys.map((k) => Prisma.sql`${k} ${dir}`));
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT t."id" FROM "Ticket" t
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${orderBy}
    LIMIT ${limit + 1}`;

  const pageIds = rows.slice(0, limit).map((r) => r.id);
  const loaded = await db.ticket.findMany({
    where: { id: { in: pageIds }, ...visibleTo(viewer), ...(mine && { requesterId: viewer.id }) },
    select: TICKET_LIST_SELECT,
  });
  const byId = new Map(loaded.map((t) => [t.id, t]));
  const found = pageIds
    .map((id) => byId.get(id))
    .filter((t): t is TicketListItem => t !== undefined);
  const unread = await unreadTicketIds(
    viewer,
    found.map((t) => t.id),
  );
  const items: TicketListPage["items"] = found.map((t) => ({ ...t, unread: unread.has(t.id) }));

  if (query.q && items.length > 0) {
    // Snippets come from the description only: never from notes, for anyone, so a snippet can
    // never carry internal text onto a page a user might see (or a staff screen shared with one).
    const snippets = await db.$queryRaw<{ id: string; snippet: string }[]>`
      SELECT t."id", ts_headline('english', t."description", ${tsquery(query.q)}, ${HEADLINE_OPTIONS}) AS snippet
      FROM "Ticket" t WHERE t."id" = ANY(CAST(${items.map((i) => i.id)} AS text[]))`;
    const byTicket = new Map(snippets.map((s) => [s.id, s.snippet]));
    for (const item of items) item.snippet = plainSnippet(byTicket.get(item.id) ?? "");
  }

  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ s: sort, k: spec.keys.map((k) => k.value(last)), n: last.number })
      : null;
  return { items, nextCursor, sort };
}

/** The requester's own tickets, open ones first, then most recently updated. */
export function listMyTickets(
  viewer: TicketViewer,
  query: Pick<TicketListQuery, "cursor" | "limit" | "q" | "status"> = {},
): Promise<TicketListPage> {
  return listTickets(viewer, query, { mine: true });
}

/** How many tickets match (same scope and filters as listTickets, no cursor). */
export async function countTickets(
  viewer: TicketViewer,
  query: Omit<TicketListQuery, "cursor" | "limit"> = {},
  options: { mine?: boolean } = {},
): Promise<number> {
  const mine = options.mine === true;
  const sort = resolveSort(viewer, query, mine);
  const where = await conditions(viewer, query, sort, mine);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM "Ticket" t WHERE ${Prisma.join(where, " AND ")}`;
  return row?.count ?? 0;
}

/**
 * A count that stops at `cap` (an index-only scan of at most cap + 1 rows, fast at any table
 * size): `{ count: cap, capped: true }` means "more than cap" (show "999+").
 */
export async function countTicketsCapped(
  viewer: TicketViewer,
  query: Omit<TicketListQuery, "cursor" | "limit"> = {},
  cap = 999,
): Promise<{ count: number; capped: boolean }> {
  const sort = resolveSort(viewer, query, false);
  const where = await conditions(viewer, query, sort, false);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM (
      SELECT 1 FROM "Ticket" t WHERE ${Prisma.join(where, " AND ")} LIMIT ${cap + 1}
    ) matched`;
  const count = row?.count ?? 0;
  return count > cap ? { count: cap, capped: true } : { count, capped: false };
}

export type QueueCounts = Record<TicketQueue, { count: number; capped: boolean }>;

/** Badge counts for the four queues, capped (see countTicketsCapped); null without "ticket:read" on all. */
export async function countQueues(viewer: TicketViewer, cap = 999): Promise<QueueCounts | null> {
  if (!canOnAny(viewer, "ticket:read")) return null;
  const counts = await Promise.all(
    TICKET_QUEUES.map(async (queue) => [queue, await countTicketsCapped(viewer, { queue }, cap)]),
  );
  return Object.fromEntries(counts) as QueueCounts;
}
