// T3 (SECURITY.md, ADR 012): the access matrix, generated from the permission table. Every principal
// x every object x every action of tests/security/access-registry.ts, called directly (not
// through the UI). The expected answer of each cell is computed from PERMISSIONS (scopeOf) and
// the object's owner; allowed cells must succeed and show their effect in the database, refused
// cells must be refused, change nothing, and be audited as REFUSED with the right actor.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { scopeOf, type Role } from "@/lib/auth/permissions";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { confirmedFor } from "@/tests/support/admin";
import { afterMock } from "@/tests/support/after";
import {
  formPost,
  nextHeadersMock,
  rawPost,
  requestHeaders,
  testIp,
  sessionCookie,
  type RequestState,
} from "@/tests/support/request";
import {
  OBJECTS,
  REGISTRY,
  type Entry,
  type ObjectKey,
  type ObjectSpec,
  type Outcome,
  type UserRef,
  type World,
} from "./access-registry";

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock("next/server", async (orig) => ({ ...(await orig<object>()), after: afterMock }));

// Attachments (ADR 021) in the local store, in folders of this run; blobStore() caches its
// configuration per process, so this is set before anything stores a file. No virus scanner:
// with one configured but unreachable, uploads would be quarantined and never served.
const attachmentDirs = [
  mkdtempSync(join(tmpdir(), "tessera-t3-attachments-")),
  mkdtempSync(join(tmpdir(), "tessera-t3-upload-tmp-")),
] as const;
process.env.TESSERA_STORAGE = "local";
process.env.TESSERA_ATTACHMENT_DIR = attachmentDirs[0];
process.env.TESSERA_UPLOAD_TMP_DIR = attachmentDirs[1];
delete process.env.TESSERA_CLAMAV_URL;

const { currentUser } = await import("@/lib/auth/guards");
const { ForbiddenError, NotFoundError } = await import("@/lib/errors");

const db = createTestDb();
const ROOT = join(import.meta.dirname, "..", "..");
const modules = new Map<string, Record<string, unknown>>();

// ---------------------------------------------------------------------------------------------
// Principals. `role`: the role the guards must act with (null: the session is not valid).

type Principal = {
  key: string;
  role: Role | null;
  /** Staff without MFA enrollment (required for staff): only "account:manage" is open to them. */
  mfaMissing?: boolean;
  /** Creates the account (or picks A/B) and mints the browser's session cookie. */
  setup: (w: World) => Promise<{ actor: UserRef | null; cookie: string | null }>;
};

/** The browser's session cookie, signed in a minute ago (the token's role may be stale). */
const cookieFor = (user: { id: string }, role: Role, sv: number) =>
  sessionCookie({ id: user.id, role }, { sv, authAgo: 60, seenAgo: 10 });

async function fresh(role: Role, extra: { active?: boolean; mfa?: boolean } = {}) {
  const u = await makeUser(db, { role, ...extra });
  const ref: UserRef = {
    id: u.id,
    email: u.email,
    password: u.password,
    sessionVersion: 1,
    mfaSecret: u.mfaSecret,
  };
  return ref;
}

/** A fresh password confirmation (sudo mode) for this account, held by `jar`. */
const confirmFor = (user: UserRef, jar: Map<string, string>) => confirmedFor(db, user, jar);

function request(cookie: string | null, requestId: string, jar: Map<string, string>) {
  // A fresh client address per cell: refusals are aggregated per source (lib/security/refusals.ts),
  // and every cell must see its own first refusal audited in full.
  state.headers = requestHeaders({ cookie, requestId, ip: testIp() });
  state.cookies = jar;
}

const PRINCIPALS: Principal[] = [
  { key: "anonymous", role: null, setup: async () => ({ actor: null, cookie: null }) },
  {
    key: "user A",
    role: "USER",
    setup: async (w) => ({ actor: w.a, cookie: await cookieFor(w.a, "USER", 1) }),
  },
  {
    key: "user B",
    role: "USER",
    setup: async (w) => ({ actor: w.b, cookie: await cookieFor(w.b, "USER", 1) }),
  },
  {
    key: "technician",
    role: "TECHNICIAN",
    setup: async () => {
      const u = await fresh("TECHNICIAN");
      return { actor: u, cookie: await cookieFor(u, "TECHNICIAN", 1) };
    },
  },
  {
    key: "admin",
    role: "ADMIN",
    setup: async () => {
      const u = await fresh("ADMIN");
      return { actor: u, cookie: await cookieFor(u, "ADMIN", 1) };
    },
  },
  {
    key: "technician without MFA",
    role: "TECHNICIAN",
    mfaMissing: true,
    setup: async () => {
      const u = await fresh("TECHNICIAN", { mfa: false });
      return { actor: u, cookie: await cookieFor(u, "TECHNICIAN", 1) };
    },
  },
  {
    // User A, deactivated while their browser still holds a valid cookie.
    key: "deactivated user",
    role: null,
    setup: async (w) => {
      await db.user.update({ where: { id: w.a.id }, data: { active: false } });
      return { actor: w.a, cookie: await cookieFor(w.a, "USER", 1) };
    },
  },
  {
    // Cookie minted while admin; then demoted by another admin through the real action, which
    // bumps sessionVersion: the old cookie is worth nothing.
    key: "demoted admin (old cookie)",
    role: null,
    setup: async () => {
      const victim = await fresh("ADMIN");
      const cookie = await cookieFor(victim, "ADMIN", 1);
      const operator = await fresh("ADMIN");
      const jar = new Map<string, string>();
      await confirmFor(operator, jar);
      request(await cookieFor(operator, "ADMIN", 1), `t3-demote-${uniqueSuffix()}`, jar);
      const users = modules.get("@/lib/users/actions")!;
      const demote = users.changeUserRoleAction as (i: unknown) => Promise<{ ok: boolean }>;
      expect(await demote({ userId: victim.id, role: "USER" })).toMatchObject({ ok: true });
      const row = await db.user.findUniqueOrThrow({ where: { id: victim.id } });
      expect(row).toMatchObject({ role: "USER", sessionVersion: 2 });
      return { actor: { ...victim, sessionVersion: 2 }, cookie };
    },
  },
  {
    // Promoted in the database without a sessionVersion bump: the guards re-read the role.
    key: "user promoted to technician in the database",
    role: "TECHNICIAN",
    setup: async () => {
      const u = await fresh("USER", { mfa: true });
      const cookie = await cookieFor(u, "USER", 1);
      await db.user.update({ where: { id: u.id }, data: { role: "TECHNICIAN" } });
      return { actor: u, cookie };
    },
  },
  {
    // Demoted in the database without a bump: the token still says ADMIN, the database USER.
    key: "admin demoted to user in the database",
    role: "USER",
    setup: async () => {
      const u = await fresh("ADMIN");
      const cookie = await cookieFor(u, "ADMIN", 1);
      await db.user.update({ where: { id: u.id }, data: { role: "USER" } });
      return { actor: u, cookie };
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The world of one cell, and the expectation computed from the permission table.

// Tickets live in two shared categories; a cell makes its own category only when it acts on one
// (moving a category renumbers them all, so their number is kept small).
let shared: { base: { id: string; name: string; position: number }; other: { id: string } };

async function buildWorld(
  principal: Principal,
  entry: Entry,
): Promise<World & { cookie: string | null }> {
  const tag = uniqueSuffix();
  const [a, b, staff, target] = await Promise.all([
    fresh("USER"),
    fresh("USER"),
    fresh("TECHNICIAN"),
    fresh("USER"),
  ]);
  const category = entry.objects.includes("aCategory")
    ? await makeCategory(db, { position: 1_000_000 })
    : shared.base;
  const otherCategory = shared.other;
  const ticket = (requesterId: string, title: string) =>
    db.ticket.create({
      data: { title, description: "t3", categoryId: shared.base.id, requesterId },
      select: { id: true, number: true, version: true },
    });
  const ticketA = await ticket(a.id, `A's ticket ${tag}`);
  const ticketB = await ticket(b.id, `B's ticket ${tag}`);
  const note = await db.ticketComment.create({
    data: { ticketId: ticketA.id, authorId: staff.id, body: `internal ${tag}`, internal: true },
    select: { id: true, ticketId: true },
  });
  const w: World & { cookie: string | null } = {
    cookie: null,
    db,
    tag,
    requestId: `t3-${tag}`,
    actor: null,
    actorRole: principal.role,
    a,
    b,
    staff,
    target,
    ticketA,
    ticketB,
    note,
    category,
    otherCategory,
    jar: new Map(),
    reauthToken: null,
    async asOther(fn) {
      request(null, `t3-setup-${uniqueSuffix()}`, new Map());
      try {
        return await fn();
      } finally {
        request(w.cookie, w.requestId, w.jar);
      }
    },
  };
  const { actor, cookie } = await principal.setup(w);
  w.actor = actor;
  w.cookie = cookie;
  if (actor && principal.role) w.reauthToken = await confirmFor(actor, w.jar);
  return w;
}

type Reason = "unauthenticated" | "forbidden" | "not-found" | "mfa";
type Expected = { allowed: true } | { allowed: false; reason: Reason };

function expectedFor(principal: Principal, entry: Entry, o: ObjectKey, w: World): Expected {
  if (entry.permission === null) return { allowed: true };
  if (principal.role === null) return { allowed: false, reason: "unauthenticated" };
  const scope = scopeOf(principal.role, entry.permission);
  if (scope === "none") return { allowed: false, reason: "forbidden" };
  if (principal.mfaMissing && entry.permission !== "account:manage") {
    return { allowed: false, reason: "mfa" };
  }
  if (entry.refusedFor?.(principal.role)) return { allowed: false, reason: "forbidden" };
  const object: ObjectSpec = OBJECTS[o];
  if (scope === "all" && !object.ownerOnly) return { allowed: true };
  const owner = object.owner(w);
  if (owner !== null && owner === w.actor?.id) return { allowed: true };
  return { allowed: false, reason: object.foreign };
}

const isRedirect = (e: unknown) =>
  String((e as { digest?: unknown })?.digest ?? "").startsWith("NEXT_REDIRECT");

async function call(entry: Entry, o: ObjectKey, w: World): Promise<Outcome> {
  const input = entry.input(w, o);
  const fn = modules.get(entry.module)![entry.export] as (x: unknown, y?: unknown) => unknown;
  if (entry.kind === "route") {
    const raw = entry.rawBody?.(w, o);
    const req = raw
      ? rawPost(input as string, state.headers, raw.body, raw.headers)
      : entry.export === "POST"
        ? formPost(input as string, state.headers)
        : new Request(input as string, { headers: state.headers });
    // A dynamic segment's value is the handler's second argument, as Next passes it.
    const res = (await (entry.params
      ? fn(req, { params: Promise.resolve(entry.params(w, o)) })
      : fn(req))) as Response;
    const body = Buffer.from(await res.arrayBuffer());
    return res.ok
      ? { kind: "ok", data: { status: res.status, headers: res.headers, body } }
      : { kind: "refused", message: body.toString("utf8") };
  }
  if (entry.kind === "read") {
    const user = await currentUser();
    if (!user) return { kind: "refused", message: "no session" };
    // Pages send staff without MFA to the enrollment page (requirePageUser).
    if ((user as { mfaEnrollmentRequired?: boolean }).mfaEnrollmentRequired) {
      return { kind: "refused", message: "redirect /account/mfa" };
    }
    try {
      const data = await fn(user, input);
      return entry.visible && !entry.visible(w, o, data)
        ? { kind: "refused", message: "hidden" }
        : { kind: "ok", data };
    } catch (error) {
      // A read path refuses a role without the permission (assertCan) or hides the object.
      if (error instanceof NotFoundError || error instanceof ForbiddenError) {
        return { kind: "refused", message: error.message };
      }
      throw error;
    }
  }
  try {
    const result = await fn(input);
    if (result && typeof result === "object" && "ok" in result) {
      const r = result as { ok: boolean; formError?: string; data?: unknown };
      return r.ok ? { kind: "ok", data: r.data } : { kind: "refused", message: r.formError ?? "" };
    }
    return { kind: "ok", data: result };
  } catch (error) {
    if (isRedirect(error)) {
      // Next's redirect digest: "NEXT_REDIRECT;<type>;<location>;<status>;"
      const digest = (error as { digest?: unknown }).digest;
      const location = typeof digest === "string" ? digest.split(";")[2] : undefined;
      return { kind: "redirect", location: location ?? String(error) };
    }
    throw error;
  }
}

// Everything but the append-only logs (audit, security outbox) and the rate-limit counters.
const UNFINGERPRINTED = new Set([
  "AuditEvent",
  "AuditAnchor",
  "SecurityOutbox",
  "RateLimit",
  // Counters of aggregated refusals and the anomaly rules' bookkeeping: a refusal may count.
  "RefusalWindow",
  "AuditCursor",
  "_prisma_migrations",
]);
let pgClient: pg.Client;
let fingerprintSql = "";

async function fingerprint(): Promise<string> {
  const { rows } = await pgClient.query<{ fp: string }>(fingerprintSql);
  return rows[0]!.fp;
}

// ---------------------------------------------------------------------------------------------

/** Every file under lib/ and app/ that starts with "use server", as an "@/..." module id. */
function serverActionModules(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === "generated" || name === "node_modules") continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && /^\s*["']use server["']/.test(readFileSync(path, "utf8")))
        found.push(`@/${relative(ROOT, path).replace(/\.tsx?$/, "")}`);
    }
  };
  walk(join(ROOT, "lib"));
  walk(join(ROOT, "app"));
  return found.sort();
}

/** Route handlers (app/**\/route.ts) as "@/..." ids. */
function routeHandlers(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === "route.ts") found.push(`@/${relative(ROOT, path).replace(/\.ts$/, "")}`);
    }
  };
  walk(join(ROOT, "app"));
  return found.sort();
}

/**
 * Public by design: Auth.js's own endpoints (attacked over HTTP in tests/e2e/t3-access.spec.ts)
 * and the load balancer's health checks (read nothing of anyone: tests/integration/health.test.ts).
 * Prometheus metrics answer no session, only their own bearer token (404 without one configured):
 * tests/integration/metrics.test.ts and, over HTTP with a signed-in admin, tests/e2e/metrics.spec.ts.
 * Live updates write nothing and send IDs only; the stream never ends by itself, so its access
 * (signed out, requester vs staff scoping, presence refused to requesters, cross-site refused) is
 * tested over HTTP against a running app: tests/integration/live-updates.test.ts and
 * tests/e2e/live-updates.spec.ts.
 */
const HTTP_ONLY_ROUTES = [
  "@/app/api/auth/[...nextauth]/route",
  "@/app/api/health/live/route",
  "@/app/api/health/ready/route",
  "@/app/api/live/presence/route",
  "@/app/api/live/route",
  "@/app/api/metrics/route",
];

/**
 * The REST API (app/api/v1): bearer tokens, not sessions. Its own matrix covers every route file
 * and method × token state and scope × role × whose ticket: tests/security/t3-api-matrix.test.ts.
 */
const isApiRoute = (id: string) => id.startsWith("@/app/api/v1/");

const stats = { cells: 0, allowed: 0, refused: 0, audited: 0, unauditedReads: 0 };

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  for (const id of new Set([...serverActionModules(), ...REGISTRY.map((e) => e.module)])) {
    modules.set(id, (await import(/* @vite-ignore */ id)) as Record<string, unknown>);
  }
  shared = { base: await makeCategory(db), other: await makeCategory(db) };
  pgClient = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await pgClient.connect();
  const { rows } = await pgClient.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts = rows
    .map((r) => r.table_name)
    .filter((t) => !UNFINGERPRINTED.has(t))
    .map(
      (t) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${t}" x)`,
    );
  fingerprintSql = `SELECT md5(${parts.join(" || ")}) AS fp`;
});

afterAll(async () => {
  // The settings an allowed cell saved (every kind, the default): the next test file starts clean.
  await db.setting.deleteMany({});
  await pgClient?.end();
  await db.$disconnect();
  for (const dir of attachmentDirs) rmSync(dir, { recursive: true, force: true });
});

describe("T3 registry", () => {
  it("covers every exported server action, and nothing that does not exist", async () => {
    const exported: string[] = [];
    for (const id of serverActionModules()) {
      for (const [name, value] of Object.entries(modules.get(id)!)) {
        if (typeof value === "function") exported.push(`${id}#${name}`);
      }
    }
    expect(exported.length).toBeGreaterThan(20);
    const registered = REGISTRY.filter((e) => e.kind === "action").map(
      (e) => `${e.module}#${e.export}`,
    );
    expect([...new Set(registered)].sort()).toEqual([...new Set(exported)].sort());
  });

  it("covers every route handler (or names it as tested over HTTP only)", () => {
    const registered = REGISTRY.filter((e) => e.kind === "route").map((e) => e.module);
    expect(routeHandlers().filter((r) => !isApiRoute(r))).toEqual(
      [...new Set([...registered, ...HTTP_ONLY_ROUTES])].sort(),
    );
  });
});

const REFUSAL_MESSAGE: Record<Exclude<Reason, "forbidden">, RegExp> = {
  unauthenticated: /^Please sign in again\.$/,
  "not-found": /not found/i,
  mfa: /two-factor authentication/i,
};
const AUDIT_REASON: Record<Reason, string> = {
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  "not-found": "not_visible",
  mfa: "mfa_enrollment_required",
};

/** A route's path in a cell's name (several routes share GET or POST): " /api/attachments/[id]". */
const routePath = (entry: Entry) =>
  entry.kind === "route" ? ` ${entry.module.replace(/^@\/app/, "").replace(/\/route$/, "")}` : "";

for (const principal of PRINCIPALS) {
  describe(`T3 matrix: ${principal.key}`, () => {
    for (const entry of REGISTRY) {
      for (const o of entry.objects) {
        it(`${entry.kind} ${entry.export}${routePath(entry)} on ${o}`, async () => {
          const w = await buildWorld(principal, entry);
          const expected = expectedFor(principal, entry, o, w);
          if (entry.prepare) await entry.prepare(w, o);
          request(w.cookie, w.requestId, w.jar);
          const before = await fingerprint();
          const outcome = await call(entry, o, w);
          const events = await db.auditEvent.findMany({
            where: { requestId: w.requestId },
            orderBy: { id: "asc" },
          });
          const refusals = events.filter((e) => e.outcome === "REFUSED");
          stats.cells += 1;

          if (expected.allowed) {
            stats.allowed += 1;
            expect(outcome.kind, JSON.stringify(outcome)).toBe(entry.redirects ? "redirect" : "ok");
            expect(refusals).toEqual([]);
            await entry.verify(w, o, outcome);
            return;
          }

          stats.refused += 1;
          expect(outcome.kind, JSON.stringify(outcome).slice(0, 300)).toBe("refused");
          const message = (outcome as { message: string }).message;
          if (entry.kind === "action" && expected.reason !== "forbidden") {
            expect(message).toMatch(REFUSAL_MESSAGE[expected.reason]);
          }
          expect(await fingerprint(), "a refused call changed the database").toBe(before);
          if (entry.audit === null) {
            stats.unauditedReads += 1;
            expect(events).toEqual([]);
            return;
          }
          const actorId = principal.role ? w.actor!.id : null;
          expect(
            events.map((e) => [
              e.action,
              e.outcome,
              e.actorId,
              (e.metadata as { reason?: string })?.reason,
            ]),
          ).toEqual([[entry.audit, "REFUSED", actorId, AUDIT_REASON[expected.reason]]]);
          stats.audited += 1;
        });
      }
    }
  });
}

describe("T3 summary", () => {
  it("ran every cell and audited every refusal", async () => {
    const actions = new Set(REGISTRY.map((e) => `${e.module}#${e.export}#${e.permission}`)).size;
    const objects = new Set(REGISTRY.flatMap((e) => e.objects)).size;
    const pairs = REGISTRY.reduce((n, e) => n + e.objects.length, 0);
    const expectedCells = PRINCIPALS.length * pairs;
    const line =
      `T3: ${PRINCIPALS.length} principals × ${pairs} (action, object) pairs ` +
      `[${actions} actions/routes/reads over ${objects} objects] = ${expectedCells} cells; ` +
      `ran ${stats.cells}: ${stats.allowed} allowed, ${stats.refused} refused, ` +
      `${stats.audited} refusals audited, ${stats.unauditedReads} page-read refusals (404, not audited)`;
    const { PERMISSION_NAMES } = await import("@/lib/auth/permissions");
    const unused = PERMISSION_NAMES.filter((p) => !REGISTRY.some((e) => e.permission === p));
    console.info(`${line}; permissions with no action yet: ${unused.join(", ") || "none"}`);
    if (stats.cells > 0) {
      expect(stats.cells).toBe(expectedCells);
      expect(stats.audited + stats.unauditedReads).toBe(stats.refused);
    }
  });
});
