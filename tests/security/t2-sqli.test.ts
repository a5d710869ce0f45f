import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { actAs, formPost, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { openPgLogWindow, type PgLogUnavailable, type PgLogWindow } from "./pg-log";
import { eachLimit, show, t2Payloads } from "./t2-helpers";

// T2 (docs: /SECURITY.md, issue 5 §8): every payload of tests/security/corpora/sqli-payloads.txt
// through every server-side entry point that takes text: the real server actions (session
// cookies minted as in tests/integration), the real query functions the pages call, the CSV
// export route and sign-in. Each call either stores the text (read back byte for byte through
// the page's query) or is refused with a validation message; never an internal error, never a
// PostgreSQL error in the server log, and the database is intact afterwards. Then type
// confusion: objects, arrays, numbers... where strings are expected are refused, nothing written.
// Only next/headers (request-scoped) and next/cache are stubbed, plus bcrypt's work factor below.

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// A payload in a password field only ever reaches bcrypt (never SQL). bcrypt runs for real but at
// cost 4 here: at cost 10 the ~1,500 password payloads would take minutes. The work factor
// itself is tested in tests/unit/password.test.ts.
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  const bcrypt = (await import("bcryptjs")).default;
  let dummy: Promise<string> | undefined;
  return {
    ...real,
    hashPassword: (password: string) => bcrypt.hash(real.prehashPassword(password), 4),
    verifyAgainstDummy: async (password: string) => {
      dummy ??= bcrypt.hash("t2-dummy", 4);
      await bcrypt.compare(real.prehashPassword(password), await dummy);
      return false as const;
    },
  };
});

const tickets = await import("@/lib/tickets/actions");
const categories = await import("@/lib/categories/actions");
const users = await import("@/lib/users/actions");
const auth = await import("@/lib/auth/actions");
const { authenticate } = await import("@/lib/auth/sign-in");
const { CredentialsSignin } = await import("next-auth");
const { getTicket } = await import("@/lib/tickets/queries");
const { listTickets, listMyTickets, countQueues, encodeCursor } =
  await import("@/lib/tickets/search");
const { parseTicketListQuery, TicketListQuerySchema } = await import("@/lib/tickets/schemas");
const { getStaffDashboard, getUserDashboard } = await import("@/lib/tickets/stats");
const { listCategoriesForAdmin } = await import("@/lib/categories/queries");
const { listUsers, getUserForAdmin } = await import("@/lib/users/queries");
const { UserListFilterSchema } = await import("@/lib/users/admin-schemas");
const { AUDIT_FILTER_KEYS, parseAuditFilters, parseBefore } = await import("@/lib/audit/filters");
const { listAuditEvents, getAuditEvent } = await import("@/lib/audit/queries");
const { sealAndVerify } = await import("@/tests/support/audit");
const { verifyPassword } = await import("@/lib/auth/password");
const exportRoute = await import("@/app/(app)/admin/audit/export/route");

type Result = { ok: true; data: unknown } | { ok: false; formError?: string; fieldErrors?: object };
type Person = Awaited<ReturnType<typeof makeUser>>;

const db = createTestDb();
const PAYLOADS = t2Payloads();
const RUN = uniqueSuffix()
  .replace(/[^a-z0-9]/g, "")
  .slice(-8);
const GENERIC = /Something went wrong|\(reference /;
const CONCURRENCY = 6;
let serverErrors = 0;
let sqlErrors: number | null = null;

// ---- bookkeeping: calls per entry point, for the summary line ----
const entryPoints = new Map<string, { calls: number; stored: number; refused: number }>();
function count(entry: string, outcome: "stored" | "refused" | "read") {
  const e = entryPoints.get(entry) ?? { calls: 0, stored: 0, refused: 0 };
  e.calls += 1;
  if (outcome === "stored") e.stored += 1;
  if (outcome === "refused") e.refused += 1;
  entryPoints.set(entry, e);
}

/**
 * An action result is fine when it succeeded (true) or was refused with a field message for
 * `field` (false). `formOnly`: an expected refusal without a field (an id that finds nothing).
 */
function accepted(
  entry: string,
  payload: unknown,
  result: Result,
  field: string,
  formOnly = false,
): result is Extract<Result, { ok: true }> {
  const where = `${entry} ← ${show(payload)}: ${JSON.stringify(result)}`;
  if (result.ok) {
    count(entry, "stored");
    return true;
  }
  if (GENERIC.test(result.formError ?? "")) serverErrors += 1;
  expect(result.formError ?? "", where).not.toMatch(GENERIC);
  const fieldErrors = (result.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  if (!formOnly || fieldErrors[field]) {
    expect(fieldErrors[field]?.[0], where).toEqual(expect.any(String));
  } else {
    expect(result.formError, where).toEqual(expect.any(String));
  }
  count(entry, "refused");
  return false;
}

/** What a zod `.trim()` leaves of the payload: what must be stored byte for byte. */
const trimmed = (s: string) => s.trim();

let user: Person;
let tech: Person;
let admin: Person;
let categoryId: string;
let logWindow: PgLogWindow | PgLogUnavailable;
const created = { tickets: [] as string[], categories: [] as string[], users: [] as string[] };
let before: Awaited<ReturnType<typeof snapshot>>;

type Counts = Record<"Ticket" | "TicketComment" | "Category" | "User" | "AuditEvent", number>;

async function snapshot() {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`;
  const [row] = await db.$queryRaw<Counts[]>`
    SELECT (SELECT count(*)::int FROM "Ticket") AS "Ticket",
           (SELECT count(*)::int FROM "TicketComment") AS "TicketComment",
           (SELECT count(*)::int FROM "Category") AS "Category",
           (SELECT count(*)::int FROM "User") AS "User",
           (SELECT count(*)::int FROM "AuditEvent") AS "AuditEvent"`;
  const admins = await db.user.count({ where: { role: "ADMIN" } });
  return { tables: tables.map((t) => t.name), admins, counts: row! };
}

const savedEnv: Record<string, string | undefined> = {};
const RAISED_LIMITS = {
  RATE_LIMIT_TICKETS_PER_HOUR: "1000000",
  RATE_LIMIT_REPLIES_PER_HOUR: "1000000",
  RATE_LIMIT_TICKET_EDITS_PER_HOUR: "1000000",
  RATE_LIMIT_PASSWORD_CHANGE_PER_15_MIN: "1000000",
};

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  for (const [k, v] of Object.entries(RAISED_LIMITS)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  logWindow = await openPgLogWindow(process.env.TEST_DATABASE_URL!);
  user = await makeUser(db, { name: `T2 User ${RUN}` });
  tech = await makeUser(db, { role: "TECHNICIAN", name: `T2 Tech ${RUN}` });
  admin = await makeUser(db, { role: "ADMIN", name: `T2 Admin ${RUN}` });
  categoryId = (await makeCategory(db, { name: `T2 ${RUN}` })).id;
  created.categories.push(categoryId);
  before = await snapshot();
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  // The payload rows stay (they are evidence) but out of every list later tests and the e2e
  // suite look at: tickets soft-deleted, categories archived, accounts deactivated.
  await db.ticket.updateMany({
    where: { id: { in: created.tickets } },
    data: { deletedAt: new Date() },
  });
  await db.category.updateMany({
    where: { id: { in: created.categories } },
    data: { archived: true },
  });
  await db.user.updateMany({
    where: {
      id: { in: [...created.users, ...[user, tech, admin].filter(Boolean).map((p) => p.id)] },
    },
    data: { active: false },
  });
  await db.$disconnect();
  const calls = [...entryPoints.values()].reduce((n, e) => n + e.calls, 0);
  console.log(
    `T2: ${PAYLOADS.length} payloads × ${entryPoints.size} entry points = ${calls} calls, ` +
      `${serverErrors} server errors, ${sqlErrors ?? "n/a"} SQL errors in the log`,
  );
});

describe("T2 SQL injection: every payload through every entry point", () => {
  it("ticket create: title, description, category id", { timeout: 600_000 }, async () => {
    await actAs(state, user);
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      const byTitle = (await tickets.createTicketAction({
        title: p,
        description: "T2 description",
        categoryId,
      })) as Result;
      if (accepted("ticket.create title", p, byTitle, "title") && byTitle.ok) {
        const id = (byTitle.data as { id: string }).id;
        created.tickets.push(id);
        expect((await getTicket(user, { id })).title, show(p)).toBe(trimmed(p));
      }
      const byDescription = (await tickets.createTicketAction({
        title: `T2 description ${RUN}`,
        description: p,
        categoryId,
      })) as Result;
      if (accepted("ticket.create description", p, byDescription, "description")) {
        const id = (byDescription.data as { id: string }).id;
        created.tickets.push(id);
        expect((await getTicket(user, { id })).description, show(p)).toBe(trimmed(p));
      }
      const byCategory = (await tickets.createTicketAction({
        title: `T2 category ${RUN}`,
        categoryId: p,
      })) as Result;
      expect(accepted("ticket.create categoryId", p, byCategory, "categoryId", true)).toBe(false);
    });
  });

  it("ticket edit (title, description) and assign", { timeout: 600_000 }, async () => {
    await actAs(state, tech);
    const ticket = await tickets.createTicketAction({
      title: `T2 edit ${RUN}`,
      categoryId,
      requesterId: user.id,
    });
    expect(ticket.ok).toBe(true);
    const { id } = (ticket as { data: { id: string; version: number } }).data;
    let version = (ticket as { data: { version: number } }).data.version;
    created.tickets.push(id);
    // Sequential: each edit names the version it read.
    for (const p of PAYLOADS) {
      const title = (await tickets.editTicketAction({
        ticketId: id,
        version,
        title: p,
        description: "T2",
      })) as Result;
      if (accepted("ticket.edit title", p, title, "title")) {
        version = (title.data as { version: number }).version;
        expect((await getTicket(tech, { id })).title, show(p)).toBe(trimmed(p));
      }
      const description = (await tickets.editTicketAction({
        ticketId: id,
        version,
        title: `T2 edit ${RUN}`,
        description: p,
      })) as Result;
      if (accepted("ticket.edit description", p, description, "description")) {
        version = (description.data as { version: number }).version;
        expect((await getTicket(tech, { id })).description, show(p)).toBe(trimmed(p));
      }
      const assign = (await tickets.triageTicketAction({
        ticketId: id,
        version,
        assigneeId: p,
      })) as Result;
      expect(accepted("ticket.assign assigneeId", p, assign, "assigneeId", true)).toBe(false);
      const edited = (await tickets.editTicketAction({
        ticketId: p,
        version: 1,
        title: "T2 nothing",
      })) as Result;
      expect(accepted("ticket.edit ticketId", p, edited, "ticketId", true)).toBe(false);
    }
  });

  it("public reply and internal note (body, ticket id)", { timeout: 600_000 }, async () => {
    await actAs(state, user);
    const ticket = await tickets.createTicketAction({ title: `T2 replies ${RUN}`, categoryId });
    const id = (ticket as { data: { id: string } }).data.id;
    created.tickets.push(id);
    const replies = new Map<string, string>();
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      const reply = (await tickets.replyToTicketAction({ ticketId: id, body: p })) as Result;
      if (accepted("ticket.reply body", p, reply, "body")) {
        replies.set((reply.data as { commentId: string }).commentId, trimmed(p));
      }
      const foreign = (await tickets.replyToTicketAction({ ticketId: p, body: "T2" })) as Result;
      expect(accepted("ticket.reply ticketId", p, foreign, "ticketId", true)).toBe(false);
    });
    await actAs(state, tech);
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      const note = (await tickets.addInternalNoteAction({ ticketId: id, body: p })) as Result;
      if (accepted("ticket.note body", p, note, "body")) {
        replies.set((note.data as { commentId: string }).commentId, trimmed(p));
      }
    });
    // Read back every stored comment, byte for byte (the ticket page shows a window of them).
    const stored = await db.ticketComment.findMany({
      where: { ticketId: id },
      select: { id: true, body: true },
    });
    const bodies = new Map(stored.map((c) => [c.id, c.body]));
    expect(replies.size).toBeGreaterThan(PAYLOADS.length);
    for (const [commentId, body] of replies) expect(bodies.get(commentId)).toBe(body);
  });

  it(
    "ticket lists: every URL parameter, staff and requester views",
    { timeout: 600_000 },
    async () => {
      // Every parameter the list schema parses: a new one is attacked without editing this file.
      const keys = Object.keys(TicketListQuerySchema.shape);
      expect(keys).toContain("q");
      // Cursors are opaque base64url JSON: also forge well-formed ones carrying the payload.
      const forged = (p: string) => [
        encodeCursor({ s: "newest", k: [p], n: 1 }),
        encodeCursor({ s: "priority", k: [p, "2024-01-01T00:00:00.000Z"], n: 1 }),
      ];
      await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
        for (const key of keys) {
          const state = parseTicketListQuery({ [key]: p });
          await listTickets(tech, state);
          count(`tickets list ?${key} (staff)`, "read");
          await listMyTickets(user, state);
          count(`tickets list ?${key} (requester)`, "read");
        }
        // A repeated parameter arrives as an array.
        const repeated = Object.fromEntries(keys.map((k) => [k, [p, p]]));
        await listTickets(tech, parseTicketListQuery(repeated));
        count("tickets list, every parameter repeated", "read");
        for (const cursor of forged(p)) {
          await listTickets(tech, parseTicketListQuery({ cursor, sort: "priority" }));
          await listTickets(tech, parseTicketListQuery({ cursor }));
          count("tickets list forged cursor", "read");
        }
      });
      // Search finds stored payload titles as text (the requester sees their own tickets).
      const page = await listMyTickets(user, parseTicketListQuery({ q: `description ${RUN}` }));
      expect(page.items.length).toBeGreaterThan(0);
      expect(await countQueues(tech)).not.toBeNull();
    },
  );

  it("ticket list cursors and dates at the edges of PostgreSQL's types", async () => {
    const edges = [
      encodeCursor({ s: "newest", k: ["0000-01-01T00:00:00.000Z"], n: 1 }),
      encodeCursor({ s: "newest", k: ["2024-01-01T00:00:00.000Z"], n: 1e20 }),
      encodeCursor({ s: "newest", k: ["2024-01-01T00:00:00.000Z"], n: -1e20 }),
      encodeCursor({ s: "newest", k: ["2024-01-01T00:00:00.000Z"], n: 2 ** 31 }),
      encodeCursor({ s: "newest", k: ["2024-02-30T00:00:00.000Z"], n: 1 }),
      encodeCursor({ s: "priority", k: ["URGENT", "9999-12-31T23:59:59.999Z"], n: 1 }),
      encodeCursor({ s: "open-first", k: [1, "2024-01-01T00:00:00.000Z"], n: 1 }),
    ];
    for (const cursor of edges) {
      await listTickets(tech, parseTicketListQuery({ cursor }));
      await listMyTickets(user, parseTicketListQuery({ cursor }));
      count("tickets list edge cursor", "read");
    }
    for (const day of ["0000-01-01", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29"]) {
      await listTickets(tech, parseTicketListQuery({ createdFrom: day, createdTo: day }));
      count("tickets list edge dates", "read");
    }
  });

  it("categories: create and rename (name, category id)", { timeout: 600_000 }, async () => {
    await actAs(state, admin);
    // Names are unique (case-insensitive): a payload already stored by an earlier run is a
    // duplicate (a validation error); the rename carries this run's tag to be stored anyway.
    const target = await makeCategory(db, { name: `T2 rename ${RUN}` });
    created.categories.push(target.id);
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      const made = (await categories.createCategoryAction({ name: p })) as Result;
      if (accepted("category.create name", p, made, "name")) {
        created.categories.push((made.data as { id: string }).id);
      } else if (JSON.stringify(made.fieldErrors).includes("already exists")) {
        // A duplicate must really be one: no LIKE wildcard or escape in the comparison.
        const [twin] = await db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "Category" WHERE lower(name) = lower(${trimmed(p)})`;
        expect(twin?.n, `category ${show(p)} refused as a duplicate of nothing`).toBe(1);
      }
      const wrongId = (await categories.renameCategoryAction({
        categoryId: p,
        name: `T2 ${RUN}`,
      })) as Result;
      expect(accepted("category.rename categoryId", p, wrongId, "categoryId", true)).toBe(false);
    });
    for (const p of PAYLOADS) {
      const name = `${RUN} ${p}`;
      const renamed = (await categories.renameCategoryAction({
        categoryId: target.id,
        name,
      })) as Result;
      if (accepted("category.rename name", p, renamed, "name")) {
        const row = (await listCategoriesForAdmin(admin)).find((c) => c.id === target.id);
        expect(row?.name, show(p)).toBe(trimmed(name));
      }
    }
    const listed = new Map((await listCategoriesForAdmin(admin)).map((c) => [c.id, c]));
    for (const id of created.categories) expect(listed.has(id)).toBe(true);
  });

  it(
    "users: create (name, email, role), list search and filters, detail",
    { timeout: 600_000 },
    async () => {
      await actAs(state, admin);
      let n = 0;
      await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
        const i = n++;
        const byName = (await users.createUserAction({
          email: `t2-${RUN}-${i}@example.test`,
          name: p,
          role: "USER",
        })) as Result;
        if (accepted("user.create name", p, byName, "name")) {
          const id = (byName.data as { id: string }).id;
          created.users.push(id);
          expect((await getUserForAdmin(admin, id))?.user.name, show(p)).toBe(trimmed(p));
        }
        for (const [entry, email] of [
          ["user.create email", p],
          ["user.create email local part", `${p}@t2-${RUN}-${i}.example.test`],
        ] as const) {
          const byEmail = (await users.createUserAction({
            email,
            name: "T2",
            role: "USER",
          })) as Result;
          if (accepted(entry, p, byEmail, "email")) {
            const id = (byEmail.data as { id: string }).id;
            created.users.push(id);
            const stored = await getUserForAdmin(admin, id);
            expect(stored?.user.email, show(p)).toBe(email.trim().toLowerCase());
          }
        }
        const byRole = (await users.createUserAction({
          email: `t2-role-${RUN}-${i}@example.test`,
          name: "T2",
          role: p,
        })) as Result;
        expect(accepted("user.create role", p, byRole, "role")).toBe(false);
        for (const key of Object.keys(UserListFilterSchema.shape)) {
          const filter = UserListFilterSchema.parse({ [key]: p });
          const { users: found } = await listUsers(admin, filter);
          count(`users list ?${key}`, "read");
          // The search is a literal substring: no LIKE wildcards from the payload.
          const needle = filter.q?.toLowerCase();
          if (needle) {
            for (const u of found) {
              expect(`${u.name}\n${u.email}`.toLowerCase(), `?q=${show(p)}`).toContain(needle);
            }
          }
        }
        expect(await getUserForAdmin(admin, p)).toBeNull();
        count("user detail /admin/users/[id]", "read");
      });
    },
  );

  it("audit viewer filters and the CSV export", { timeout: 600_000 }, async () => {
    await actAs(state, admin);
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      // The filter schema's keys and the keyset cursor (parseBefore).
      for (const key of [...AUDIT_FILTER_KEYS, "before"]) {
        const params = { [key]: p };
        await listAuditEvents(admin, {
          ...parseAuditFilters(params),
          before: parseBefore(params),
        });
        count(`audit viewer ?${key}`, "read");
      }
    });
    // The export: every filter parameter set to the payload in one request (each one's SQL is in
    // the query; any error in any part fails the stream).
    for (const p of PAYLOADS) {
      const url = new URL("http://localhost:3000/admin/audit/export");
      for (const key of [...AUDIT_FILTER_KEYS, "before"]) url.searchParams.set(key, p);
      const response = await exportRoute.POST(formPost(url.toString(), state.headers));
      expect(response.status, show(p)).toBe(200);
      expect(await response.text()).toMatch(/^\uFEFF?[^\n]*\n/);
      count("audit CSV export (all filters)", "read");
    }
    // A known event found by free text (its own request id): the filter is a plain substring.
    const [latest] = await db.auditEvent.findMany({ orderBy: { id: "desc" }, take: 1 });
    const found = await listAuditEvents(admin, { q: latest!.requestId ?? "" });
    expect(found.events.map((e) => e.id)).toContain(latest!.id);
    expect(await getAuditEvent(admin, latest!.id)).not.toBeNull();
  });

  it("sign-in (email, password) through authenticate", { timeout: 600_000 }, async () => {
    // A fresh address per run: the per-ip failure counters are this run's alone.
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const context = { ip, userAgent: "vitest T2", requestId: `req-t2-signin-${RUN}` };
    let i = 0;
    const attempt = async (entry: string, p: string, raw: Record<string, unknown>) => {
      const result = await authenticate(raw, context).catch((error: unknown) => error);
      // A payload seen by an earlier run may meet that account's CAPTCHA or lockout: an
      // expected refusal (a CredentialsSignin), still not an internal error.
      if (result !== null) {
        if (!(result instanceof CredentialsSignin)) serverErrors += 1;
        expect(result, `${entry} ← ${show(p)}`).toBeInstanceOf(CredentialsSignin);
      }
      count(entry, "refused");
    };
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      const k = i++;
      await attempt("sign-in email", p, { email: p, password: "t2-wrong-password" });
      await attempt("sign-in email local part", p, {
        email: `${p}@t2-${RUN}-${k}.example.test`,
        password: "t2-wrong-password",
      });
      await attempt("sign-in password", p, {
        email: `t2-ghost-${RUN}-${k}@example.test`,
        password: p,
      });
    });
    // The real account still signs in: nothing above bypassed or broke the lookup.
    expect(
      await authenticate({ email: user.email, password: user.password }, context),
    ).toMatchObject({ id: user.id });
  });

  it("password change (current, new) and password confirmation", { timeout: 600_000 }, async () => {
    const person = await makeUser(db, { name: `T2 Password ${RUN}` });
    created.users.push(person.id);
    let current = person.password;
    for (const p of PAYLOADS) {
      await actAs(state, person, {
        sv: (await db.user.findUniqueOrThrow({ where: { id: person.id } })).sessionVersion,
      });
      const wrongCurrent = (await users.changePasswordAction({
        currentPassword: p,
        newPassword: `T2 new passphrase ${RUN}`,
        confirmPassword: `T2 new passphrase ${RUN}`,
      })) as Result;
      expect(accepted("password change current", p, wrongCurrent, "currentPassword"), show(p)).toBe(
        false,
      );
      let next: Result;
      try {
        next = (await users.changePasswordAction({
          currentPassword: current,
          newPassword: p,
          confirmPassword: p,
        })) as Result;
      } catch (error) {
        // Success signs this browser in again (Auth.js redirects): a thrown NEXT_REDIRECT.
        expect(String((error as { digest?: unknown }).digest ?? error), show(p)).toMatch(
          /NEXT_REDIRECT/,
        );
        next = { ok: true, data: null };
      }
      if (accepted("password change new", p, next, "newPassword")) {
        const row = await db.user.findUniqueOrThrow({
          where: { id: person.id },
          omit: { passwordHash: false },
        });
        expect(await verifyPassword(p, row.passwordHash), show(p)).toBe(true);
        current = p;
      }
    }
    await actAs(state, admin);
    await eachLimit(PAYLOADS, CONCURRENCY, async (p) => {
      const confirm = (await users.confirmPasswordAction({ password: p })) as Result;
      expect(accepted("password confirmation", p, confirm, "password", true)).toBe(false);
    });
  });

  it("dashboards and ticket pages render the stored payloads", async () => {
    const staff = await getStaffDashboard(tech);
    const mine = await getUserDashboard(user);
    count("staff dashboard", "read");
    count("user dashboard", "read");
    expect(staff).toBeTruthy();
    expect(mine).toBeTruthy();
    for (const id of created.tickets.slice(0, 50)) {
      await getTicket(tech, { id });
      count("ticket detail", "read");
    }
  });
});

describe("T2 type confusion: non-strings where strings are expected", () => {
  const VALUES: [string, unknown][] = [
    ["object", {}],
    ["array", []],
    ["array of strings", ["a", "b"]],
    ["number", 42],
    ["zero", 0],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["null", null],
    ["true", true],
    ["false", false],
    ["{toString}", { toString: () => "T2 toString value" }],
    ['{"$ne": ""}', { $ne: "" }],
    ['{"$gt": ""}', { $gt: "" }],
    ["nested object", { title: "T2" }],
    ["Date", new Date()],
    ["bigint", 10n],
  ];
  const NO_SUCH = "t2-no-such-id";

  type Case = {
    name: string;
    actor: () => Person;
    call: (input: Record<string, unknown>) => Promise<unknown>;
    base: () => Record<string, unknown>;
    fields: string[];
    /** Values the schema legitimately accepts for some fields (null = "none", booleans). */
    allows?: Record<string, string[]>;
  };
  const cases: Case[] = [
    {
      name: "ticket.create",
      actor: () => user,
      call: tickets.createTicketAction,
      base: () => ({ title: "T2 confusion", description: "d", categoryId }),
      fields: ["title", "description", "categoryId", "priority", "requesterId", "followUpOfId"],
      allows: { requesterId: ["null"], followUpOfId: ["null"] },
    },
    {
      name: "ticket.edit",
      actor: () => tech,
      call: tickets.editTicketAction,
      base: () => ({ ticketId: NO_SUCH, version: 1, title: "T2", description: "d" }),
      fields: ["ticketId", "title", "description"],
    },
    {
      name: "ticket.reply",
      actor: () => user,
      call: tickets.replyToTicketAction,
      base: () => ({ ticketId: NO_SUCH, body: "T2" }),
      fields: ["ticketId", "body"],
    },
    {
      name: "ticket.note",
      actor: () => tech,
      call: tickets.addInternalNoteAction,
      base: () => ({ ticketId: NO_SUCH, body: "T2" }),
      fields: ["ticketId", "body"],
    },
    {
      name: "ticket.triage",
      actor: () => tech,
      call: tickets.triageTicketAction,
      base: () => ({
        ticketId: NO_SUCH,
        version: 1,
        status: "OPEN",
        priority: "HIGH",
        categoryId,
        assigneeId: tech.id,
        body: "T2",
        visibility: "public",
      }),
      fields: ["ticketId", "status", "priority", "categoryId", "assigneeId", "body", "visibility"],
      allows: { assigneeId: ["null"] },
    },
    {
      name: "ticket.close",
      actor: () => user,
      call: tickets.closeTicketAction,
      base: () => ({ ticketId: NO_SUCH, version: 1 }),
      fields: ["ticketId"],
    },
    {
      name: "ticket.reopen",
      actor: () => user,
      call: tickets.reopenTicketAction,
      base: () => ({ ticketId: NO_SUCH, version: 1, body: "still wrong" }),
      fields: ["ticketId", "body"],
    },
    {
      name: "ticket.delete",
      actor: () => admin,
      call: tickets.deleteTicketAction,
      base: () => ({ ticketId: NO_SUCH }),
      fields: ["ticketId"],
    },
    {
      name: "ticket.bulk_assign",
      actor: () => tech,
      call: tickets.bulkAssignTicketsAction,
      base: () => ({ ticketIds: [NO_SUCH], assigneeId: tech.id }),
      fields: ["ticketIds", "assigneeId"],
      allows: { assigneeId: ["null"], ticketIds: ["array of strings"] },
    },
    {
      name: "ticket.bulk_status",
      actor: () => tech,
      call: tickets.bulkChangeTicketStatusAction,
      base: () => ({ ticketIds: [NO_SUCH], status: "OPEN" }),
      fields: ["ticketIds", "status"],
      allows: { ticketIds: ["array of strings"] },
    },
    {
      name: "category.create",
      actor: () => admin,
      call: categories.createCategoryAction,
      base: () => ({ name: `T2 confusion ${uniqueSuffix()}`, defaultAssigneeId: null }),
      fields: ["name", "defaultAssigneeId"],
      allows: { defaultAssigneeId: ["null"] },
    },
    {
      name: "category.rename",
      actor: () => admin,
      call: categories.renameCategoryAction,
      base: () => ({ categoryId: NO_SUCH, name: "T2" }),
      fields: ["categoryId", "name"],
    },
    {
      name: "category.reorder",
      actor: () => admin,
      call: categories.moveCategoryAction,
      base: () => ({ categoryId: NO_SUCH, direction: "up" }),
      fields: ["categoryId", "direction"],
    },
    {
      name: "category.archive",
      actor: () => admin,
      call: categories.setCategoryArchivedAction,
      base: () => ({ categoryId: NO_SUCH, archived: true }),
      fields: ["categoryId", "archived"],
      allows: { archived: ["true", "false"] },
    },
    {
      name: "category.default_assignee",
      actor: () => admin,
      call: categories.setCategoryDefaultAssigneeAction,
      base: () => ({ categoryId: NO_SUCH, defaultAssigneeId: null }),
      fields: ["categoryId", "defaultAssigneeId"],
      allows: { defaultAssigneeId: ["null"] },
    },
    {
      name: "user.create",
      actor: () => admin,
      call: users.createUserAction,
      base: () => ({
        email: `t2-confusion-${uniqueSuffix()}@example.test`,
        name: "T2",
        role: "USER",
      }),
      fields: ["email", "name", "role"],
    },
    {
      name: "user.role_change",
      actor: () => admin,
      call: users.changeUserRoleAction,
      base: () => ({ userId: NO_SUCH, role: "USER" }),
      fields: ["userId", "role"],
    },
    {
      name: "user.set_active",
      actor: () => admin,
      call: users.setUserActiveAction,
      base: () => ({ userId: NO_SUCH, active: true }),
      fields: ["userId", "active"],
      allows: { active: ["true", "false"] },
    },
    {
      name: "user.sign_out_everywhere",
      actor: () => admin,
      call: users.signOutUserEverywhereAction,
      base: () => ({ userId: NO_SUCH }),
      fields: ["userId"],
    },
    {
      name: "user.password_reset",
      actor: () => admin,
      call: users.resetUserPasswordAction,
      base: () => ({ userId: NO_SUCH }),
      fields: ["userId"],
    },
    {
      name: "auth.reauth",
      actor: () => admin,
      call: users.confirmPasswordAction,
      base: () => ({ password: "t2-not-the-password" }),
      fields: ["password"],
    },
    {
      name: "account.password_change",
      actor: () => user,
      call: users.changePasswordAction,
      base: () => ({
        currentPassword: "t2-not-the-password",
        newPassword: `T2 new passphrase ${RUN}`,
        confirmPassword: `T2 new passphrase ${RUN}`,
      }),
      fields: ["currentPassword", "newPassword", "confirmPassword"],
    },
  ];

  it(
    "every action refuses non-string values with a field message and writes nothing",
    { timeout: 300_000 },
    async () => {
      const start = await snapshot();
      const requestIds: string[] = [];
      for (const c of cases) {
        for (const field of c.fields) {
          for (const [label, value] of VALUES) {
            if (c.allows?.[field]?.includes(label)) continue;
            const requestId = `req-t2-confusion-${RUN}-${requestIds.length}`;
            requestIds.push(requestId);
            await actAs(state, c.actor(), { requestId });
            const result = (await c.call({ ...c.base(), [field]: value })) as Result;
            const where = `${c.name}.${field} = ${label}: ${JSON.stringify(result)}`;
            expect(result.ok, where).toBe(false);
            expect(accepted(`type confusion ${c.name}`, label, result, field), where).toBe(false);
          }
        }
        // The whole input not an object at all.
        for (const raw of [null, undefined, "T2", 42, [], [c.base()]]) {
          await actAs(state, c.actor());
          const result = (await c.call(raw as unknown as Record<string, unknown>)) as Result;
          expect(result.ok, `${c.name}(${show(raw)})`).toBe(false);
          expect((result as { formError?: string }).formError ?? "").not.toMatch(GENERIC);
          count(`type confusion ${c.name}`, "refused");
        }
      }
      expect((await snapshot()).counts).toEqual({
        ...start.counts,
        // Refusals are not audited for invalid input (it never reaches a permission check).
        AuditEvent: start.counts.AuditEvent,
      });
      const written = await db.auditEvent.count({
        where: { requestId: { in: requestIds }, outcome: "SUCCESS" },
      });
      expect(written).toBe(0);
    },
  );

  it("sign-in refuses non-string email and password", async () => {
    const context = { ip: "198.18.251.1", userAgent: "vitest T2", requestId: `req-t2-ci-${RUN}` };
    for (const [label, value] of VALUES) {
      for (const raw of [
        { email: value, password: "t2-wrong-password" },
        { email: user.email, password: value },
        { email: [user.email], password: [user.password] },
        { email: { $ne: "" }, password: { $ne: "" } },
      ]) {
        const result = await authenticate(raw, context).catch((e: unknown) => e);
        if (result !== null) expect(result, label).toBeInstanceOf(CredentialsSignin);
        const action = await auth.signInAction({ ...raw, callbackUrl: value });
        expect(action, label).toMatchObject({
          ok: false,
          formError: "Email or password is incorrect.",
        });
        count("type confusion sign-in", "refused");
      }
    }
    expect(
      await db.auditEvent.count({
        where: { requestId: context.requestId, outcome: "SUCCESS" },
      }),
    ).toBe(0);
  });
});

describe("T2 aftermath", () => {
  it("the database is intact: same tables, no extra rows, no privilege change, chain verifies", async () => {
    const now = await snapshot();
    expect(now.tables).toEqual(before.tables);
    expect(now.tables).not.toContain("t2_injected");
    expect(now.tables).not.toContain("myfile");
    expect(now.admins).toBe(before.admins);
    expect(await db.category.findUnique({ where: { id: "t2-injected" } })).toBeNull();
    expect(existsSync("/tmp/t2-pwned")).toBe(false);
    // Rows grew by exactly what the actions reported as stored (plus the fixtures made here).
    const stored = (entry: string) => entryPoints.get(entry)?.stored ?? 0;
    expect(now.counts.Ticket - before.counts.Ticket).toBe(
      stored("ticket.create title") + stored("ticket.create description") + 2,
    );
    expect(now.counts.Category - before.counts.Category).toBe(stored("category.create name") + 1);
    expect(now.counts.User - before.counts.User).toBe(
      stored("user.create name") +
        stored("user.create email") +
        stored("user.create email local part") +
        1,
    );
    expect(now.counts.TicketComment - before.counts.TicketComment).toBe(
      stored("ticket.reply body") + stored("ticket.note body"),
    );
    expect(now.counts.AuditEvent).toBeGreaterThan(before.counts.AuditEvent);
    expect((await sealAndVerify(db)).ok).toBe(true);
  });

  it("0 SQL errors in the PostgreSQL log for this database", async (ctx) => {
    if ("unavailable" in logWindow) {
      if (process.env.TESSERA_TEST_DB_KIND === "embedded") {
        ctx.skip(
          `the embedded PGlite server keeps no log file to read (${logWindow.unavailable}); ` +
            "CI runs T2 on PostgreSQL, where this check applies",
        );
        return;
      }
      throw new Error(
        `T2 cannot read the PostgreSQL server log, so "0 SQL errors" is unproven: ` +
          `${logWindow.unavailable}. Run the tests as a superuser (or grant pg_read_server_files).`,
      );
    }
    const errors = await logWindow.errorsSinceStart();
    sqlErrors = errors.filter((l) => !/\bSTATEMENT:/.test(l)).length;
    expect(errors, `errors in ${logWindow.describe}`).toEqual([]);
  });
});
