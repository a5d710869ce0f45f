// Issue 12 §5: tickets are created at concurrency 4 through the real server action while
// PostgreSQL is restarted (fast), crashed (immediate stop) and started again, and the app is
// killed with SIGKILL and started again. A private PostgreSQL cluster (tests/e2e/pg-cluster.ts)
// so the other tests are not disturbed. A browser only to see the error page a user gets during the outage.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createPrismaClient } from "@/prisma/client";
import { cookieFor, findAction, postAction } from "@/scripts/lib/app-client";
import { sealAndVerify } from "@/tests/support/audit";
import { E2E_AUTH_SECRET } from "./mfa-key";
import {
  freePort,
  killGroup,
  seedRequesters,
  startInstance,
  stopInstance,
  type Instance,
} from "./instance";
import { createCluster, type Cluster } from "./pg-cluster";

type Attempt = {
  title: string;
  at: number;
  done: number;
  status: number; // 0: no HTTP answer (connection refused or reset)
  body: string;
  acknowledged: boolean;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.describe("faults under load @desktop-only", () => {
  test.skip(
    process.env.TESSERA_TEST_DB_KIND === "embedded",
    "needs PostgreSQL's server binaries (a private cluster)",
  );

  let cluster: Cluster | undefined;
  let app: Instance | undefined;
  let dir: string | undefined;

  test.afterAll(async () => {
    if (app) await stopInstance(app);
    cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("restart, crash, kill -9: nothing acknowledged is lost, the app recovers by itself", async ({
    page,
  }) => {
    // About a minute alone; two app starts and a browser on a loaded 2-core machine take longer.
    test.setTimeout(240_000);
    cluster = createCluster(await freePort());
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE tessera_faults");
    await admin.end();
    const url = cluster.url("tessera_faults");
    dir = mkdtempSync(join(tmpdir(), "tessera-faults-"));
    const anchorFile = join(dir, "anchors.jsonl");
    const port = await freePort();
    const start = () =>
      startInstance({
        databaseUrl: url,
        port,
        env: { TESSERA_AUDIT_ANCHOR_FILE: anchorFile, RATE_LIMIT_TICKETS_PER_HOUR: "100000" },
      });
    app = await start();
    const firstPid = app.pid;

    const prefix = `fault-${Date.now().toString(36)}-`;
    let cookies: string[];
    let category: string;
    {
      const sql = new pg.Client({ connectionString: url });
      await sql.connect();
      const seed = await seedRequesters(sql, prefix, 4);
      category = seed.category;
      cookies = [];
      for (const u of seed.users) cookies.push(await cookieFor(sql, u, E2E_AUTH_SECRET));
      await sql.end();
    }
    const create = findAction(".");
    const base = app.base; // the same port after the restart

    const attempts: Attempt[] = [];
    let running = true;
    let seq = 0;
    const worker = async (w: number) => {
      while (running) {
        const title = `${prefix}${w}-${++seq}`;
        const at = Date.now();
        let status = 0;
        let body = "";
        try {
          ({ status, body } = await postAction(
            base,
            create,
            cookies[w]!,
            [{ title, description: "Created while things break.", categoryId: category }],
            { signal: AbortSignal.timeout(20_000) },
          ));
        } catch (err) {
          body = String((err as Error & { cause?: Error }).cause ?? err);
        }
        const acknowledged = status === 200 && body.includes('"ok":true');
        attempts.push({ title, at, done: Date.now(), status, body, acknowledged });
        if (!acknowledged) await sleep(100);
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    /** Resolves once a creation that started after `since` was acknowledged. */
    const recovered = async (since: number, what: string) => {
      await expect
        .poll(() => attempts.some((x) => x.acknowledged && x.at >= since), {
          message: `a creation succeeds again after ${what}`,
          timeout: 30_000,
        })
        .toBe(true);
    };

    const events: Record<string, number> = {};
    try {
      await recovered(Date.now(), "start");
      await sleep(1000);

      events.restart = Date.now();
      cluster.ctl("-w", "-m", "fast", "restart");
      await recovered(Date.now(), "a fast restart of PostgreSQL");

      events.crash = Date.now();
      cluster.ctl("-m", "immediate", "stop");
      await sleep(1000); // an outage: requests now must get a clear "try again"
      const ready = await fetch(`${base}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { database: "unreachable" } });
      // A page: the error page (rendered in the browser), without details in what was sent.
      const [name, value] = cookies[0]!.split("=") as [string, string];
      await page.context().addCookies([{ name, value, url: base }]);
      const response = await page.goto(`${base}/tickets`);
      expect(response?.status()).toBe(500);
      expect(await response?.text()).not.toMatch(/\n\s+at |prisma|ECONN|postgres/i);
      await expect(page.getByText(/please try again/i)).toBeVisible();
      await sleep(500);
      events.crashEnd = Date.now();
      cluster.ctl("-w", "start");
      await recovered(Date.now(), "PostgreSQL came back after a crash");
      expect(app.child.exitCode, "the app survived the outage without a restart").toBeNull();
      expect(app.pid).toBe(firstPid);
      expect((await fetch(`${base}/api/health/ready`)).status).toBe(200);

      events.kill = Date.now();
      killGroup(app, "SIGKILL");
      await app.exit;
      app = await start();
      events.killEnd = Date.now();
      await recovered(events.killEnd, "the app was killed and started again");
      await sleep(1000);
    } finally {
      running = false;
      await load;
    }

    // Every creation acknowledged to a client is stored, with exactly one audit event; and no
    // ticket at all (acknowledged or not) exists without its audit event.
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ title: string; audits: number }>(
        `SELECT t.title, (SELECT count(*)::int FROM "AuditEvent" e
                           WHERE e."entityId" = t.id AND e.action = 'ticket.create') AS audits
           FROM "Ticket" t WHERE t.title LIKE $1`,
        [`${prefix}%`],
      );
      const stored = new Map(rows.map((r) => [r.title, r.audits]));
      expect(rows.length).toBe(stored.size); // no title twice
      const acknowledged = attempts.filter((x) => x.acknowledged);
      const lost = acknowledged.filter((x) => stored.get(x.title) !== 1).map((x) => x.title);
      expect(lost, "acknowledged but not stored exactly once with one audit event").toEqual([]);
      expect(rows.filter((r) => r.audits !== 1)).toEqual([]);

      // What a client saw while the database was down: a clear "try again", never internals.
      const failed = attempts.filter((x) => !x.acknowledged && x.status !== 0);
      const inOutage = failed.filter((x) => x.at >= events.crash! && x.at < events.crashEnd!);
      expect(inOutage.length, "requests were answered during the outage").toBeGreaterThan(0);
      for (const x of failed) {
        expect(x.body, `answer at +${x.at - events.restart!} ms`).toMatch(/try again/i);
        expect(x.body).not.toMatch(/\n\s+at |prisma|ECONN|stack|digest|postgres/i);
      }
      // Without an HTTP answer: only while the app was down.
      const unanswered = attempts.filter((x) => x.status === 0);
      for (const x of unanswered) {
        expect(x.done, x.body).toBeGreaterThanOrEqual(events.kill!);
        expect(x.at, x.body).toBeLessThanOrEqual(events.killEnd!);
      }
      console.log(
        `faults: ${attempts.length} attempts, ${acknowledged.length} acknowledged, ` +
          `${failed.length} answered "try again" (${inOutage.length} during the crash), ` +
          `${unanswered.length} unanswered while the app was down; ${rows.length} stored`,
      );
    } finally {
      await sql.end();
    }
    const db = createPrismaClient(url, { max: 2 });
    try {
      const result = await sealAndVerify(db, { anchorFile, secret: E2E_AUTH_SECRET });
      expect(result.ok, JSON.stringify(result)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });
});
