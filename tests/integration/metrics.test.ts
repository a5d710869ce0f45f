import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { recordAuditStandalone, sealAuditEvents } from "@/lib/audit";
import { routeAccess } from "@/lib/auth/permissions";
import { readDatabaseSnapshot } from "@/lib/metrics/database";
import { metricsResponse } from "@/lib/metrics/endpoint";
import { appRouteLabeler, appRoutePatterns, recordHttpRequest } from "@/lib/metrics/http";
import { enqueueOutbox, markDelivered, markFailed } from "@/lib/outbox/store";
import { createTestDb } from "@/tests/support/db";
import { makeUser, uniqueSuffix } from "@/tests/support/factories";
import { parseExposition, sampleValue, type Sample } from "@/tests/support/prometheus";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Issue 12 §3: Prometheus metrics (docs/decisions/019-metrics.md). Real database rows, a real
// HTTP server and the real defineAction; only next/headers is stubbed (as in action.test.ts).
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));

const { defineAction } = await import("@/lib/action");
const { db: appDb } = await import("@/lib/db");
const db = createTestDb();
afterAll(() => db.$disconnect());

const TOKEN = "metrics-test-token-0123456789abcdefghijklmnop";
const configured = { TESSERA_METRICS_TOKEN: TOKEN };
const get = (authorization?: string) =>
  new Request("http://127.0.0.1/api/metrics", {
    headers: authorization ? { authorization } : {},
  });

async function scrape(): Promise<Sample[]> {
  const res = await metricsResponse(get(`Bearer ${TOKEN}`), appDb, configured);
  expect(res.status).toBe(200);
  return parseExposition(await res.text());
}

describe("GET /api/metrics", () => {
  it("passes the edge middleware without a session (it checks its own token)", () => {
    expect(routeAccess("/api/metrics")).toBe("public");
  });

  it("does not exist unless TESSERA_METRICS_TOKEN is set (or when it is too short)", async () => {
    for (const env of [{}, { TESSERA_METRICS_TOKEN: "" }, { TESSERA_METRICS_TOKEN: "short" }]) {
      const res = await metricsResponse(get(`Bearer ${TOKEN}`), appDb, env);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("tessera_");
    }
  });

  it("refuses a missing, wrong or differently sent token", async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      "Bearer ",
      `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`,
      TOKEN,
    ]) {
      const res = await metricsResponse(get(authorization), appDb, configured);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain("tessera_");
    }
  });

  it("answers the right token with a valid exposition, not cached", async () => {
    await appDb.$queryRaw`SELECT 1`; // a pooled connection, as in a running app
    const res = await metricsResponse(get(`bearer  ${TOKEN}`), appDb, configured);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const samples = parseExposition(await res.text());
    expect(sampleValue(samples, "tessera_metrics_database_up")).toBe(1);
    expect(sampleValue(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
    // The pool of lib/db (the app's client), sized by DATABASE_POOL_SIZE (default 10).
    expect(sampleValue(samples, "tessera_db_pool_max_connections")).toBe(
      Number(process.env.DATABASE_POOL_SIZE || 10),
    );
    expect(sampleValue(samples, "tessera_db_pool_connections")).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, "tessera_db_pool_waiting_requests")).toBe(0);
  });
});

describe("server actions", () => {
  const probe = defineAction({
    name: "test.metrics_probe",
    schema: z.object({ fail: z.boolean() }),
    permission: "user:manage",
    handler: async ({ fail }) => {
      if (fail) throw new Error("boom");
      return "done";
    },
  });

  beforeAll(() => {
    process.env.AUTH_TRUST_HOST = "true";
  });

  it("are counted and timed per action and outcome", async () => {
    const value = (samples: Sample[], name: string, outcome: string) =>
      sampleValue(samples, name, { action: "test.metrics_probe", outcome }) ?? 0;
    const before = await scrape();
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(state, admin);
    expect(await probe({ fail: false })).toEqual({ ok: true, data: "done" });
    expect(await probe({ fail: false })).toMatchObject({ ok: true });
    expect(await probe({ fail: "no" })).toMatchObject({ ok: false });
    expect(await probe({ fail: true })).toMatchObject({ ok: false });
    await actAs(state, await makeUser(db));
    expect(await probe({ fail: false })).toMatchObject({ ok: false });
    const after = await scrape();
    const delta = (name: string, outcome: string) =>
      value(after, name, outcome) - value(before, name, outcome);
    const counts = { ok: 2, invalid: 1, error: 1, refused: 1 };
    for (const [outcome, n] of Object.entries(counts)) {
      expect(delta("tessera_action_calls_total", outcome), outcome).toBe(n);
      expect(delta("tessera_action_duration_seconds_count", outcome), outcome).toBe(n);
    }
    expect(delta("tessera_action_duration_seconds_sum", "ok")).toBeGreaterThan(0);
    const inf = { action: "test.metrics_probe", outcome: "ok", le: "+Inf" };
    expect(sampleValue(after, "tessera_action_duration_seconds_bucket", inf)).toBe(
      value(after, "tessera_action_calls_total", "ok"),
    );
  });
});

describe("backlog gauges (read from the database)", () => {
  it("count audit events waiting for the sealer, and their age", async () => {
    const before = await readDatabaseSnapshot(db);
    if (!before.up) throw new Error("database down");
    const tag = uniqueSuffix();
    for (let i = 0; i < 3; i += 1) {
      await recordAuditStandalone(db, {
        action: "test.metrics",
        entityType: "Test",
        entityId: `${tag}-${i}`,
        outcome: "SUCCESS",
      });
    }
    const pending = await readDatabaseSnapshot(db);
    expect(pending.up && pending.audit.count).toBe(before.audit.count + 3);
    expect(pending.up && pending.audit.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    await sealAuditEvents(db, { wait: true });
    const sealed = await readDatabaseSnapshot(db);
    expect(sealed.up && sealed.audit).toEqual({ count: 0, oldestAgeSeconds: 0 });
  });

  it("count undelivered and failing security events per destination, and the oldest's age", async () => {
    const siem = async () => {
      const snapshot = await readDatabaseSnapshot(db);
      if (!snapshot.up) throw new Error("database down");
      const row = snapshot.outbox.destinations.find((d) => d.destination === "siem");
      return { pending: row?.pending ?? 0, failing: row?.failing ?? 0, snapshot };
    };
    const before = await siem();
    const event = { type: "test.metrics", id: uniqueSuffix(), at: new Date().toISOString() };
    await enqueueOutbox(db, event as never, ["siem"]);
    await enqueueOutbox(db, event as never, ["siem"]);
    const rows = await db.securityOutbox.findMany({
      where: { eventType: "test.metrics", deliveredAt: null },
      orderBy: { id: "asc" },
    });
    try {
      const queued = await siem();
      expect(queued.pending).toBe(before.pending + 2);
      expect(queued.failing).toBe(before.failing);
      expect(queued.snapshot.up && queued.snapshot.outbox.oldestAgeSeconds).toBeGreaterThanOrEqual(
        0,
      );
      await markFailed(db, rows[0]!.id, 60_000, "connection refused");
      await markDelivered(db, rows[1]!.id);
      const after = await siem();
      expect(after).toMatchObject({ pending: before.pending + 1, failing: before.failing + 1 });
    } finally {
      await db.securityOutbox.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    }
  });

  it("count ended refusal windows waiting for their summary", async () => {
    const count = async () => {
      const snapshot = await readDatabaseSnapshot(db);
      return snapshot.up ? snapshot.refusals : { count: -1, oldestAgeSeconds: -1 };
    };
    const before = await count();
    const key = `test:metrics:${uniqueSuffix()}`;
    await db.$executeRaw`
      INSERT INTO "RefusalWindow" ("key", "windowStart", "windowEnd", "count", "sample")
      VALUES (${key}, now() - interval '20 minutes', now() - interval '10 minutes', 7, '{}'),
             (${`${key}:single`}, now() - interval '20 minutes', now() - interval '10 minutes', 1, '{}'),
             (${`${key}:open`}, now(), now() + interval '10 minutes', 7, '{}')`;
    try {
      const after = await count();
      expect(after.count).toBe(before.count + 1);
      expect(after.oldestAgeSeconds).toBeGreaterThanOrEqual(600);
    } finally {
      await db.refusalWindow.deleteMany({ where: { key: { startsWith: key } } });
    }
  });

  it("expose only tessera_metrics_database_up 0 when the database does not answer", async () => {
    const { createPrismaClient } = await import("@/prisma/client");
    const down = createPrismaClient("postgresql://postgres@127.0.0.1:9/tessera_test_down");
    try {
      expect(await readDatabaseSnapshot(down, 2_000)).toEqual({ up: false });
    } finally {
      await down.$disconnect();
    }
  });

  it("appear in the exposition", async () => {
    const samples = await scrape();
    for (const name of [
      "tessera_audit_pending_events",
      "tessera_audit_pending_oldest_age_seconds",
      "tessera_outbox_oldest_pending_age_seconds",
      "tessera_refusal_summaries_pending",
    ]) {
      expect(sampleValue(samples, name), name).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("HTTP requests, per route pattern", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const label = appRouteLabeler();
    server = createServer((req, res) => {
      recordHttpRequest(req, res, label);
      res.statusCode = req.url?.startsWith("/tickets/") ? 200 : 404;
      res.end("x");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("labels every route of app/ by its pattern, static before dynamic", () => {
    const patterns = appRoutePatterns(`${process.cwd()}/app`);
    expect(patterns).toEqual(
      expect.arrayContaining(["/", "/tickets/[number]", "/tickets/new", "/api/metrics"]),
    );
    const label = appRouteLabeler();
    for (const pattern of patterns) expect(label(pattern)).toBe(pattern);
    expect(label("/tickets/1042")).toBe("/tickets/[number]");
    expect(label("/tickets/new?from=x")).toBe("/tickets/new");
    expect(label("/admin/users/ckabc123")).toBe("/admin/users/[id]");
    expect(label("/api/auth/callback/credentials")).toBe("/api/auth/[...nextauth]");
    expect(label("/_next/static/chunks/app.js")).toBe("/_next/static");
    expect(label("/wp-login.php")).toBe("other");
    expect(label("/tickets/1/2")).toBe("other");
  });

  it("counts and times requests without the raw path", async () => {
    const labels = { method: "GET", route: "/tickets/[number]", status: "200" };
    const count = (samples: Sample[]) =>
      sampleValue(samples, "tessera_http_requests_total", labels) ?? 0;
    const before = await scrape();
    for (const n of [7, 8, 987654])
      expect((await fetch(`${base}/tickets/${n}?q=secret`)).status).toBe(200);
    expect((await fetch(`${base}/nope/987654`)).status).toBe(404);
    const after = await scrape();
    expect(count(after) - count(before)).toBe(3);
    const other = { method: "GET", route: "other", status: "404" };
    expect(sampleValue(after, "tessera_http_requests_total", other)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, "tessera_http_requests_in_flight")).toBe(0);
    const routes = after
      .filter((s) => s.name.startsWith("tessera_http"))
      .map((s) => s.labels.route);
    expect(routes.join(" ")).not.toMatch(/987654|secret|nope/);
  });
});
