// T3 for the REST API (SECURITY.md, ADR 026): every operation of lib/api/operations.ts (so every
// route of app/api/v1, checked below) × token state and scope × role × whose ticket, through the
// real route handlers with real Requests. The expected answer of each cell is computed from the
// token's scopes, the permission table and the object's owner: 401 for any bad token, 403 for a
// missing scope or permission, 404 for another requester's ticket, 2xx otherwise. Refusals are
// audited (one REFUSED row with the reason); every audit row of an allowed write names the token.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopesForRole, type ApiScope } from "@/lib/api-tokens/scopes";
import { API_OPERATIONS, type ApiOperation, type ApiOperationId } from "@/lib/api/operations";
import { scopeOf, type Role } from "@/lib/auth/permissions";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { callApi, makeApiToken } from "@/tests/support/api-tokens";

const db = createTestDb();
const ROOT = join(import.meta.dirname, "..", "..");
const V1 = join(ROOT, "app", "api", "v1");

type Handler = Parameters<typeof callApi>[0];
type World = {
  tag: string;
  own: { id: string; number: number; version: number };
  category: { id: string };
  staff: { id: string };
  target: { id: string };
  auditId: string;
};
type Cell = { params?: Record<string, string>; query?: string; body?: unknown };

/** The route file and the input of each operation in a cell's world. */
const CELLS: Record<ApiOperationId, (w: World) => Cell> = {
  "me.get": () => ({}),
  "tickets.list": () => ({ query: "?status=NEW,OPEN&limit=5" }),
  "tickets.create": (w) => ({ body: { title: `API ${w.tag}`, categoryId: w.category.id } }),
  "tickets.get": (w) => ({ params: { number: String(w.own.number) } }),
  "tickets.update": (w) => ({
    params: { number: String(w.own.number) },
    body: { version: w.own.version, title: `Edited ${w.tag}` },
  }),
  "tickets.status": (w) => ({
    params: { number: String(w.own.number) },
    body: { version: w.own.version, status: "CLOSED" },
  }),
  "tickets.assign": (w) => ({
    params: { number: String(w.own.number) },
    body: { version: w.own.version, assigneeId: w.staff.id },
  }),
  "tickets.comments.list": (w) => ({ params: { number: String(w.own.number) } }),
  "tickets.comments.create": (w) => ({
    params: { number: String(w.own.number) },
    body: { body: `Reply ${w.tag}` },
  }),
  "tickets.attachments.list": (w) => ({ params: { number: String(w.own.number) } }),
  // No file exists: an allowed cell gets 404 (the gates before the lookup are what is tested;
  // tests/integration/attachments.test.ts covers serving and hiding files).
  "attachments.download": () => ({ params: { id: "00000000-0000-4000-8000-000000000000" } }),
  "categories.list": () => ({}),
  "categories.create": (w) => ({ body: { name: `API cat ${w.tag}` } }),
  "categories.update": (w) => ({
    params: { id: w.category.id },
    body: { name: `API renamed ${w.tag}` },
  }),
  "users.list": () => ({ query: "?role=USER" }),
  "users.create": (w) => ({
    body: { email: `api-${w.tag}@example.test`, name: `Api ${w.tag}`, role: "USER" },
  }),
  "users.get": (w) => ({ params: { id: w.target.id } }),
  "users.update": (w) => ({ params: { id: w.target.id }, body: { active: false } }),
  "audit.list": () => ({ query: "?outcome=SUCCESS" }),
  "audit.get": (w) => ({ params: { id: w.auditId } }),
};

/** Operations whose ticket is the requester's own or somebody else's. */
const TICKET_OPS = new Set<ApiOperationId>([
  "tickets.get",
  "tickets.update",
  "tickets.status",
  "tickets.assign",
  "tickets.comments.list",
  "tickets.comments.create",
  "tickets.attachments.list",
]);

type TokenState = "valid" | "revoked" | "expired" | "none" | "malformed";
type Principal = {
  key: string;
  role: Role;
  token: TokenState;
  /** The token lacks the operation's scope (otherwise it holds every scope its role allows). */
  withoutScope?: boolean;
  /** A requester acting on somebody else's ticket. */
  foreign?: boolean;
};

const PRINCIPALS: Principal[] = [
  { key: "user (own ticket)", role: "USER", token: "valid" },
  { key: "user (another's ticket)", role: "USER", token: "valid", foreign: true },
  { key: "user without the scope", role: "USER", token: "valid", withoutScope: true },
  { key: "technician", role: "TECHNICIAN", token: "valid" },
  { key: "technician without the scope", role: "TECHNICIAN", token: "valid", withoutScope: true },
  { key: "admin", role: "ADMIN", token: "valid" },
  { key: "admin without the scope", role: "ADMIN", token: "valid", withoutScope: true },
  { key: "revoked token (admin)", role: "ADMIN", token: "revoked" },
  { key: "expired token (admin)", role: "ADMIN", token: "expired" },
  { key: "no token", role: "ADMIN", token: "none" },
  { key: "malformed token", role: "ADMIN", token: "malformed" },
];

type Expected = 200 | 201 | 401 | 403 | 404;

function expectedFor(p: Principal, id: ApiOperationId, op: ApiOperation, scopes: ApiScope[]) {
  if (p.token !== "valid") return 401;
  if (op.scope && !scopes.includes(op.scope)) return 403;
  if (op.permission && scopeOf(p.role, op.permission) === "none") return 403;
  if (TICKET_OPS.has(id) && p.foreign) return 404;
  // A requester may close only a RESOLVED ticket; theirs here is NEW (the edge is refused).
  if (id === "tickets.status" && p.role === "USER") return 403;
  if (id === "attachments.download") return 404;
  return op.created ? 201 : 200;
}

const handlers = new Map<string, Record<string, Handler>>();

function routeFile(op: ApiOperation): string {
  return join(V1, op.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
}

let shared: { category: { id: string } };

beforeAll(async () => {
  for (const op of Object.values(API_OPERATIONS) as ApiOperation[]) {
    const file = routeFile(op);
    if (!handlers.has(file)) handlers.set(file, await import(/* @vite-ignore */ file));
  }
  shared = { category: await makeCategory(db) };
});

afterAll(async () => {
  await db.$disconnect();
});

describe("T3 API registry", () => {
  it("has a cell for every route file and exported method under app/api/v1", async () => {
    const exported: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name === "route.ts") exported.push(path);
      }
    };
    walk(V1);
    const methods: string[] = [];
    for (const file of exported) {
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (typeof mod[m] === "function") methods.push(`${m} ${relative(V1, file)}`);
      }
    }
    const covered = (Object.values(API_OPERATIONS) as ApiOperation[]).map(
      (op) => `${op.method} ${relative(V1, routeFile(op))}`,
    );
    // The document itself is public by design (tests/integration/api.test.ts).
    expect(methods.sort()).toEqual([...covered, "GET openapi.json/route.ts"].sort());
  });
});

const stats = { cells: 0, allowed: 0, refused: 0 };

for (const principal of PRINCIPALS) {
  describe(`T3 API: ${principal.key}`, () => {
    for (const [id, op] of Object.entries(API_OPERATIONS) as [ApiOperationId, ApiOperation][]) {
      it(`${op.method} ${op.path}`, async () => {
        const tag = uniqueSuffix();
        const [actor, owner, staff, target] = await Promise.all([
          makeUser(db, { role: principal.role }),
          makeUser(db, { role: "USER" }),
          makeUser(db, { role: "TECHNICIAN" }),
          makeUser(db, { role: "USER" }),
        ]);
        const requesterId = principal.role === "USER" && !principal.foreign ? actor.id : owner.id;
        const own = await db.ticket.create({
          data: {
            title: `T3 API ${tag}`,
            description: "t3",
            categoryId: shared.category.id,
            requesterId,
          },
          select: { id: true, number: true, version: true },
        });
        const category = id.startsWith("categories.") ? await makeCategory(db) : shared.category;
        const last = await db.auditEvent.findFirst({
          orderBy: { id: "desc" },
          select: { id: true },
        });
        const w: World = { tag, own, category, staff, target, auditId: String(last?.id ?? 1n) };

        const allowed = scopesForRole(principal.role);
        const scopes = principal.withoutScope ? allowed.filter((s) => s !== op.scope) : allowed;
        const token = await makeApiToken(db, actor.id, {
          scopes,
          ...(principal.token === "revoked" && { revokedAt: new Date() }),
          ...(principal.token === "expired" && { expiresAt: new Date(Date.now() - 60_000) }),
        });
        const bearer =
          principal.token === "none"
            ? null
            : principal.token === "malformed"
              ? `${token.token.slice(0, -1)}!`
              : token.token;
        const cell = CELLS[id](w);
        const requestId = `t3api-${tag}`;
        const handler = handlers.get(routeFile(op))![op.method]!;
        const res = await callApi(handler, {
          token: bearer,
          method: op.method,
          path:
            op.path.replace(/\{(\w+)\}/g, (_m, k: string) => cell.params?.[k] ?? k) +
            (cell.query ?? ""),
          params: cell.params,
          body: cell.body,
          requestId,
        });
        const expected: Expected = expectedFor(principal, id, op, scopes);
        stats.cells += 1;
        expect(res.status, JSON.stringify(res.json)).toBe(expected);
        const events = await db.auditEvent.findMany({
          where: { requestId },
          orderBy: { id: "asc" },
        });
        if (expected < 300) {
          stats.allowed += 1;
          expect(events.filter((e) => e.outcome !== "SUCCESS")).toEqual([]);
          expect(events.every((e) => e.channel === `api:${token.id}`)).toBe(true);
          if (op.method !== "GET") expect(events.length).toBeGreaterThan(0);
          return;
        }
        stats.refused += 1;
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(res.json).toMatchObject({ status: expected, instance: requestId });
        const refusals = events.map((e) => [
          e.action,
          e.outcome,
          (e.metadata as { reason?: string })?.reason,
        ]);
        if (expected === 401) {
          expect(refusals).toEqual([[op.name, "REFUSED", expect.any(String)]]);
          expect(events[0]!.actorId).toBeNull();
        } else if (expected === 403) {
          expect(refusals).toHaveLength(1);
          expect(refusals[0]![1]).toBe("REFUSED");
          expect(events[0]!.actorId).toBe(actor.id);
          expect(events[0]!.channel).toBe(`api:${token.id}`);
        } else if (op.method !== "GET" && TICKET_OPS.has(id)) {
          // A write on a hidden ticket is a probe: audited as not visible.
          expect(refusals).toEqual([[expect.any(String), "REFUSED", "not_visible"]]);
        } else {
          expect(events).toEqual([]);
        }
      });
    }
  });
}

describe("T3 API summary", () => {
  it("ran every cell", () => {
    const ops = Object.keys(API_OPERATIONS).length;
    console.info(
      `T3 API: ${PRINCIPALS.length} principals × ${ops} operations = ${PRINCIPALS.length * ops} cells; ` +
        `ran ${stats.cells}: ${stats.allowed} allowed, ${stats.refused} refused`,
    );
    if (stats.cells > 0) expect(stats.cells).toBe(PRINCIPALS.length * ops);
  });
});
