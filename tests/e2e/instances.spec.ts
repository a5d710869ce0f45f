// Issue 12 §3: two app instances on one PostgreSQL database and one Redis, as behind a load
// balancer, then a graceful stop of one of them. No browser: plain HTTP to real processes
// started as `npm start` does (tests/e2e/instance.ts), on a database of the test's own.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import pg from "pg";
import { createPrismaClient } from "@/prisma/client";
import { cookieFor, findAction, postAction, type ActionRef } from "@/scripts/lib/app-client";
import { createFreshDatabase, type FreshDatabase } from "@/scripts/lib/test-database";
import { sealAndVerify } from "@/tests/support/audit";
import { freePort, seedRequesters, startInstance, stopInstance, type Instance } from "./instance";
import { E2E_AUTH_SECRET } from "./mfa-key";

const LIMIT = 4; // RATE_LIMIT_TICKETS_PER_HOUR on both instances
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

test.describe("two app instances, one database and one Redis @desktop-only", () => {
  test.skip(
    process.env.TESSERA_TEST_DB_KIND === "embedded",
    "needs a PostgreSQL server (a database of its own) and Redis",
  );
  test.describe.configure({ mode: "serial", timeout: 120_000 });

  let fresh: FreshDatabase;
  let sql: pg.Client;
  let dir: string;
  let a: Instance;
  let b: Instance;
  let create: ActionRef;
  let seed: { users: string[]; category: string };
  const prefix = `two-${Date.now().toString(36)}-`;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    fresh = await createFreshDatabase(process.env.TEST_DATABASE_URL!);
    dir = mkdtempSync(join(tmpdir(), "tessera-instances-"));
    const env = {
      REDIS_URL,
      TESSERA_AUDIT_ANCHOR_FILE: join(dir, "anchors.jsonl"),
      RATE_LIMIT_TICKETS_PER_HOUR: String(LIMIT),
      TESSERA_SHUTDOWN_DRAIN_MS: "1000",
    };
    const [portA, portB] = [await freePort(), await freePort()];
    // At the same time, on an empty database: both run the migrations at start.
    [a, b] = await Promise.all([
      startInstance({ databaseUrl: fresh.url, port: portA, env }),
      startInstance({ databaseUrl: fresh.url, port: portB, env }),
    ]);
    sql = new pg.Client({ connectionString: fresh.url });
    await sql.connect();
    seed = await seedRequesters(sql, prefix, 12);
    create = findAction(".");
  });

  test.afterAll(async () => {
    await Promise.all([a && stopInstance(a), b && stopInstance(b)]);
    await sql?.end().catch(() => {});
    await fresh?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newTicket = (base: string, cookie: string, title: string) =>
    postAction(base, create, cookie, [
      { title, description: "Spread over two instances.", categoryId: seed.category },
    ]);

  test("both apply the migrations at start without conflict", async () => {
    const applied = [a, b].map((i) =>
      i.output.some((line) => /\d+ migration\(s\) applied/.test(line)),
    );
    // One applied them all while the other waited on the migration lock and found none pending.
    expect(applied.filter(Boolean)).toHaveLength(1);
    const { rows } = await sql.query<{ total: number; names: number; unfinished: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT migration_name)::int AS names,
              count(*) FILTER (WHERE finished_at IS NULL OR rolled_back_at IS NOT NULL)::int AS unfinished
         FROM _prisma_migrations`,
    );
    expect(rows[0]!.total).toBeGreaterThan(0);
    expect(rows[0]!.names).toBe(rows[0]!.total);
    expect(rows[0]!.unfinished).toBe(0);
  });

  test("creations spread over both instances all succeed, each with one audit row", async () => {
    const users = seed.users.slice(0, 8);
    const cookies: string[] = [];
    for (const u of users) cookies.push(await cookieFor(sql, u, E2E_AUTH_SECRET));
    const jobs = users.flatMap((_, u) => [0, 1, 2].map((k) => ({ u, k })));
    const answers = await Promise.all(
      jobs.map(({ u, k }) => {
        const via = (u + k) % 2 === 0 ? a : b;
        return newTicket(via.base, cookies[u]!, `${prefix}spread-${u}-${k}`).then((r) => ({
          via: via.port,
          ...r,
        }));
      }),
    );
    for (const r of answers) expect(r.body, `status ${r.status}`).toContain('"ok":true');
    expect(new Set(answers.map((r) => r.via)).size).toBe(2);
    const { rows } = await sql.query<{ n: number; audited: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE (SELECT count(*) FROM "AuditEvent" e
                                       WHERE e."entityId" = t.id AND e.action = 'ticket.create') = 1)::int AS audited
         FROM "Ticket" t WHERE t.title LIKE $1`,
      [`${prefix}spread-%`],
    );
    expect(rows[0]).toEqual({ n: jobs.length, audited: jobs.length });
  });

  test("a rate limit is counted across both instances (in Redis)", async () => {
    const user = seed.users[8]!;
    const cookie = await cookieFor(sql, user, E2E_AUTH_SECRET);
    for (let k = 0; k < LIMIT; k++) {
      const via = k % 2 === 0 ? a : b; // half on each
      expect((await newTicket(via.base, cookie, `${prefix}limit-${k}`)).body).toContain(
        '"ok":true',
      );
    }
    // Each instance saw only half the limit: only a shared counter refuses now, on both.
    for (const via of [a, b]) {
      const refused = await newTicket(via.base, cookie, `${prefix}limit-over`);
      expect(refused.body).toContain("Too many attempts");
      expect(refused.body).not.toContain('"ok":true');
    }
    // The counter lives in Redis, not in the database's fallback store (key: storeKey() in
    // lib/rate-limit/limiter.ts, which is server-only).
    const key = `ticket-create:${createHash("sha256").update(user).digest("base64url").slice(0, 32)}`;
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      expect(Number(await redis.get(`tessera:rl:${key}`))).toBeGreaterThanOrEqual(LIMIT);
    } finally {
      redis.disconnect();
    }
    const { rows } = await sql.query(`SELECT 1 FROM "RateLimit" WHERE key = $1`, [key]);
    expect(rows).toHaveLength(0);
  });

  test("a ticket filed on one instance reaches a live stream on the other", async () => {
    // Live updates (ADR 028): each instance LISTENs on its own connection; the trigger's NOTIFY
    // reaches both, and the stream on B carries the ticket filed through A (IDs only).
    const cookie = await cookieFor(sql, seed.users[11]!, E2E_AUTH_SECRET);
    const abort = new AbortController();
    const stream = await fetch(`${b.base}/api/live`, {
      headers: { cookie, "x-forwarded-proto": "http", "accept-encoding": "gzip, br" },
      signal: abort.signal,
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      // No compression, whatever the client accepts: it would hold events back in a buffer.
      expect(stream.headers.get("content-encoding")).toBeNull();
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const until = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}: ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await until("event: ready");
      const created = await newTicket(a.base, cookie, `${prefix}live`);
      expect(created.body).toContain('"ok":true');
      const { rows } = await sql.query<{ id: string; number: number }>(
        `SELECT id, number FROM "Ticket" WHERE title = $1`,
        [`${prefix}live`],
      );
      await until(`"ticketId":"${rows[0]!.id}","number":${rows[0]!.number}`);
      expect(text).not.toContain(`${prefix}live`); // the title never travels
    } finally {
      abort.abort();
    }
  });

  test("a sign-out on one instance is refused on the next request to the other", async () => {
    const user = seed.users[9]!;
    const cookie = await cookieFor(sql, user, E2E_AUTH_SECRET);
    const page = (via: Instance) =>
      fetch(`${via.base}/tickets`, {
        headers: { cookie, "x-forwarded-proto": "http" },
        redirect: "manual",
      });
    expect((await page(b)).status).toBe(200);
    const signOut = findAction(".", { file: "lib/auth/actions.ts", name: "signOutAction" });
    const out = await postAction(a.base, signOut, cookie, []);
    expect(out.status).toBeLessThan(400);
    const after = await page(b);
    expect(after.status).toBeGreaterThanOrEqual(300);
    expect(after.status).toBeLessThan(400);
    expect(after.headers.get("location")).toContain("/login");
    const refused = await newTicket(b.base, cookie, `${prefix}after-sign-out`);
    expect(refused.body).not.toContain('"ok":true');
    const { rows } = await sql.query(`SELECT 1 FROM "Ticket" WHERE title = $1`, [
      `${prefix}after-sign-out`,
    ]);
    expect(rows).toHaveLength(0);
  });

  test("the audit chain written by both instances verifies", async () => {
    const db = createPrismaClient(fresh.url, { max: 2 });
    try {
      const result = await sealAndVerify(db, {
        anchorFile: join(dir, "anchors.jsonl"),
        secret: E2E_AUTH_SECRET,
      });
      expect(result.ok, JSON.stringify(result)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  test("SIGTERM: not ready at once, new connections refused, the request in flight finishes", async () => {
    const cookie = await cookieFor(sql, seed.users[10]!, E2E_AUTH_SECRET);
    const title = `${prefix}in-flight`;
    // Hold the ticket table so that a creation stays in flight for as long as we want.
    const locker = new pg.Client({ connectionString: fresh.url });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE "Ticket" IN EXCLUSIVE MODE`);
      const inFlight = newTicket(b.base, cookie, title);
      await expect
        .poll(async () => {
          const { rows } = await sql.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0]!.n;
        })
        .toBeGreaterThan(0);
      b.child.kill("SIGTERM");
      // Draining (TESSERA_SHUTDOWN_DRAIN_MS): still answering, but not ready any more.
      await expect.poll(async () => (await fetch(`${b.base}/api/health/ready`)).status).toBe(503);
      // Then the listening socket closes: new connections are refused.
      await expect
        .poll(() =>
          fetch(`${b.base}/api/health/live`).then(
            () => "answered",
            (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
          ),
        )
        .toBe("ECONNREFUSED");
      expect(b.child.exitCode).toBeNull(); // still waiting for the request in flight
      await locker.query("COMMIT");
      const answer = await inFlight;
      expect(answer.body).toContain('"ok":true');
    } finally {
      await locker.end().catch(() => {});
    }
    expect(await b.exit).toEqual({ code: 0, signal: null });
    const said = b.output.join("\n");
    expect(said).toContain("shutdown: security outbox loop and jobs stopped");
    expect(said).toContain("shutdown: database pool stopped");
    const { rows } = await sql.query(`SELECT 1 FROM "Ticket" WHERE title = $1`, [title]);
    expect(rows).toHaveLength(1);
    // The other instance serves on.
    expect((await fetch(`${a.base}/api/health/ready`)).status).toBe(200);
  });
});
