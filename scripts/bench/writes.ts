// `npm run bench -- --writes`: the write path side by side, in one run on one database (issue 12 §2):
//   (a) the database's limit: a raw "insert ticket + insert audit row" transaction through `pg`;
//   (b) the framework's limit: a trivial server action in the same app (the one action wrapper,
//       which re-reads the session user, and nothing else); it exists only in the bench's private
//       copy of the app (PROBE_FILES below), never in the repository's app;
//   (c) real ticket creation through the create server action, as the browser posts it.
// Each at concurrency 1 (--runs timed calls) and concurrency 20 (--seconds of load), with the CPU
// used by the app process and by PostgreSQL during the concurrent phase. The app runs as in
// production: `next build` of a private copy, served by scripts/server.ts (the custom server),
// background jobs (the audit sealer) included. --instances 2 adds creation at concurrency 20
// spread over two app processes on the same database.
//
//   WRITES_BENCH_DATABASE_URL  default postgresql://postgres@127.0.0.1:5432/tessera_bench_writes
//   --runs N (default 300)  --seconds N (default 15)  --app-dir DIR (default /tmp/g-app-writes)
//   --no-build  --instances 2  --cpu-prof DIR (V8 CPU profile of the first app process)
//   --profile probe|create  instead: --runs sequential calls of one action under the profiler,
//                   and where the app's main thread spent them (scripts/bench/cpu-profile.ts)
//   --out FILE (default .data/bench/results-writes.json)
import type { ChildProcess } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { formatSummary, summariseProfile, type Profile } from "./cpu-profile";
import { recreateDatabase, waitSealed } from "./db";
import { cookieFor, findAction } from "../lib/app-client";
import { prepareApp } from "./measure-http";
import { cpuDelta, cpuSeconds, postgresPids, startServer, stop } from "./processes";
import { load, summarize, timeRuns, type Phase, type Summary } from "./stats";

const SECRET = "bench-writes-secret-0123456789-abcdefghijklmnop";
const log = (line: string) => console.log(`[bench:writes] ${line}`);

const PROBE_FILES: Record<string, string> = {
  "lib/bench-probe/actions.ts": `"use server";
import { z } from "zod";
import { defineAction } from "@/lib/action";

// Written by scripts/bench/writes.ts into its private copy of the app only.
export const benchProbeAction = defineAction({
  name: "bench.probe",
  schema: z.object({}),
  permission: "ticket:read",
  handler: async () => null,
});
`,
  "app/bench-probe/page.tsx": `import { ProbeButton } from "./probe-button";

export default function BenchProbePage() {
  return <ProbeButton />;
}
`,
  "app/bench-probe/probe-button.tsx": `"use client";
import { benchProbeAction } from "@/lib/bench-probe/actions";

export function ProbeButton() {
  return <button onClick={() => void benchProbeAction({})}>probe</button>;
}
`,
};

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

type Measured = {
  c1: Summary;
  c20: Phase;
  /** Cores busy during c20 (1.0 = one core), app and PostgreSQL. */
  appCpu: number;
  dbCpu: number;
  /** Cores used by this process, the load generator, on the same machine. */
  clientCpu: number;
  /** CPU milliseconds per operation at concurrency 1 (robust to other load on the machine). */
  appCpuMsPerOp: number;
  dbCpuMsPerOp: number;
};

/** c1 timed runs, then c20 load; CPU shares (1.0 = one core) of the app and PostgreSQL in c20. */
async function measure(
  name: string,
  op: () => Promise<void>,
  runs: number,
  seconds: number,
  appPids: number[],
): Promise<Measured> {
  for (let i = 0; i < 20; i++) await op(); // warm-up
  const appBefore = cpuSeconds(appPids);
  const dbBefore = cpuSeconds(postgresPids());
  const c1 = summarize(await timeRuns(op, runs, 0));
  const appCpuMsPerOp = +((cpuDelta(appBefore, cpuSeconds(appPids)) * 1000) / runs).toFixed(2);
  const dbCpuMsPerOp = +((cpuDelta(dbBefore, cpuSeconds(postgresPids())) * 1000) / runs).toFixed(2);
  const app0 = cpuSeconds(appPids);
  const db0 = cpuSeconds(postgresPids());
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const c20 = await load(op, 20, seconds);
  const wall = (performance.now() - t0) / 1000;
  const clientUsage = process.cpuUsage(client0);
  const clientCpu = +((clientUsage.user + clientUsage.system) / 1e6 / wall).toFixed(2);
  const appCpu = +(cpuDelta(app0, cpuSeconds(appPids)) / wall).toFixed(2);
  const dbCpu = +(cpuDelta(db0, cpuSeconds(postgresPids())) / wall).toFixed(2);
  log(
    `${name}: c1 p50 ${c1.p50} p95 ${c1.p95} ms (${Math.round(1000 / c1.mean)}/s); ` +
      `c20 ${c20.perSecond}/s p50 ${c20.latency.p50} p95 ${c20.latency.p95} ms, ` +
      `${c20.errors} errors; CPU app ${appCpu}, PostgreSQL ${dbCpu}, load generator ${clientCpu}; ` +
      `CPU per op at c1: app ${appCpuMsPerOp} ms, PostgreSQL ${dbCpuMsPerOp} ms`,
  );
  if (c20.errors > 0) log(`  sample errors: ${c20.sampleErrors.join(" | ")}`);
  return { c1, c20, appCpu, dbCpu, clientCpu, appCpuMsPerOp, dbCpuMsPerOp };
}

export async function benchWrites(): Promise<void> {
  const url =
    process.env.WRITES_BENCH_DATABASE_URL ||
    "postgresql://postgres@127.0.0.1:5432/tessera_bench_writes";
  const runs = Number(flag("runs") ?? 300);
  const seconds = Number(flag("seconds") ?? 15);
  const instances = Number(flag("instances") ?? 1);
  const appDir = resolve(flag("app-dir") ?? "/tmp/g-app-writes");
  const out = resolve(flag("out") ?? ".data/bench/results-writes.json");
  const profileOnly = flag("profile");
  if (profileOnly && profileOnly !== "probe" && profileOnly !== "create")
    throw new Error("--profile takes probe or create");
  const cpuProf = profileOnly
    ? mkdtempSync(join(tmpdir(), "bench-writes-prof-"))
    : flag("cpu-prof");
  await recreateDatabase(url, log);
  if (!process.argv.includes("--no-build")) prepareApp(appDir, url, log, PROBE_FILES);

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  const apps: ChildProcess[] = [];
  try {
    await db.query(`
      INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt")
      SELECT 'bench-w-' || i, 'bench-w-' || i || '@example.test', 'Requester ' || i, '!',
             'USER'::"Role", now()
        FROM generate_series(1, 200) i`);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO "Category" (id, name, "updatedAt") VALUES ('bench-w-cat', 'Bench hardware', now())
       RETURNING id`,
    );
    const category = rows[0]!.id;
    const cookies: string[] = [];
    for (let i = 1; i <= 200; i++) cookies.push(await cookieFor(db, `bench-w-${i}`, SECRET));

    const port = 3960 + (process.pid % 30);
    log(`starting ${instances} app process(es) (scripts/server.ts, production build)`);
    // Many requesters each file tickets; the per-user hourly cap is not what is measured.
    const env = { RATE_LIMIT_TICKETS_PER_HOUR: "1000000" };
    apps.push(await startServer({ appDir, url, port, secret: SECRET, cpuProf, env }));
    for (let k = 1; k < instances; k++)
      apps.push(await startServer({ appDir, url, port: port + k, secret: SECRET, env }));
    const bases = apps.map((_, k) => `http://127.0.0.1:${port + k}`);
    const create = findAction(appDir);
    const probe = findAction(appDir, {
      file: "lib/bench-probe/actions.ts",
      name: "benchProbeAction",
      page: "/bench-probe/page",
    });

    let seq = 0;
    const post = async (base: string, action: { id: string; page: string }, args: unknown) => {
      seq += 1;
      const res = await fetch(`${base}${action.page}`, {
        method: "POST",
        headers: {
          cookie: cookies[seq % cookies.length]!,
          "next-action": action.id,
          "content-type": "text/plain;charset=UTF-8",
          origin: base,
          accept: "text/x-component",
        },
        body: JSON.stringify([args]),
      });
      const body = await res.text();
      if (res.status !== 200 || !body.includes('"ok":true'))
        throw new Error(`${res.status} ${body.slice(0, 200)}`);
    };
    const title = () => `Bench write ${process.pid}-${seq}`;
    const ticketInput = () => ({
      title: title(),
      description: "The printer on floor 3 shows a paper jam after the update. **Urgent**.",
      categoryId: category,
    });

    // (a) the database's limit: what one creation writes, as plain SQL.
    let raw = 0;
    const rawInsert = async () => {
      const n = ++raw;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const requester = `bench-w-${1 + (n % 200)}`;
        const { rows: t } = await client.query<{ id: string; number: number }>(
          `INSERT INTO "Ticket" (id, title, description, "categoryId", "requesterId", "updatedAt")
           VALUES ('raw-' || $1::text, $2, $3, $4, $5, now()) RETURNING id, number`,
          [
            `${process.pid}-${n}`,
            `Raw ${n}`,
            "The printer shows a paper jam.",
            category,
            requester,
          ],
        );
        await client.query(
          `INSERT INTO "AuditEvent" ("actorId", "actorRole", "action", "entityType", "entityId",
                                     "outcome", "after")
           VALUES ($1, 'USER', 'ticket.create', 'Ticket', $2, 'SUCCESS', $3)`,
          [requester, t[0]!.id, JSON.stringify({ number: t[0]!.number, title: `Raw ${n}` })],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    };

    if (profileOnly) {
      // One action, sequentially, under the profiler; only the samples of the timed window count.
      const op =
        profileOnly === "probe"
          ? () => post(bases[0]!, probe, {})
          : () => post(bases[0]!, create, ticketInput());
      for (let i = 0; i < 50; i++) await op();
      const from = Number(process.hrtime.bigint() / 1000n);
      for (let i = 0; i < runs; i++) await op();
      const to = Number(process.hrtime.bigint() / 1000n);
      log(`${profileOnly}: ${((to - from) / 1000 / runs).toFixed(2)} ms per request (sequential)`);
      await stop(apps.pop()!);
      const files = readdirSync(cpuProf!).map((f) => join(cpuProf!, f));
      const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
      const profile = JSON.parse(readFileSync(main, "utf8")) as Profile;
      const totals = summariseProfile(profile, { window: [from, to] });
      for (const line of formatSummary(totals, runs)) log(`  ${line}`);
      return;
    }
    const appPids = apps.map((a) => a.pid!);
    const results: Record<string, Measured> = {};
    results.rawPg = await measure("(a) raw pg transaction", rawInsert, runs, seconds, appPids);
    results.trivialAction = await measure(
      "(b) trivial server action",
      () => post(bases[0]!, probe, {}),
      runs,
      seconds,
      appPids,
    );
    const before = await ticketCount(db);
    results.create = await measure(
      "(c) ticket creation",
      () => post(bases[0]!, create, ticketInput()),
      runs,
      seconds,
      appPids,
    );
    let spread: Phase | null = null;
    if (apps.length > 1) {
      // The other processes have served nothing yet: warm them up as the first one was.
      for (const base of bases.slice(1))
        for (let i = 0; i < 40; i++) await post(base, create, ticketInput());
      let k = 0;
      spread = await load(
        () => post(bases[k++ % bases.length]!, create, ticketInput()),
        20,
        seconds,
      );
      log(
        `(c) creation over ${apps.length} processes, c20: ${spread.perSecond}/s p95 ${spread.latency.p95} ms, ${spread.errors} errors`,
      );
    }
    const acknowledged =
      results.create.c1.runs +
      20 +
      40 * (bases.length - 1) +
      (results.create.c20.requests - results.create.c20.errors) +
      (spread ? spread.requests - spread.errors : 0);
    const created = (await ticketCount(db)) - before;
    const { rows: audit } = await db.query<{ missing: number; pending: number }>(`
      SELECT (SELECT count(*)::int FROM "Ticket" t WHERE t.title LIKE 'Bench write %'
                 AND NOT EXISTS (SELECT 1 FROM "AuditEvent" a
                                  WHERE a."entityId" = t.id AND a.action = 'ticket.create')) AS missing,
             (SELECT count(*)::int FROM "AuditEvent" WHERE seq IS NULL) AS pending`);
    log(
      `acknowledged ${acknowledged}, stored ${created}, without audit row ${audit[0]!.missing}, ` +
        `audit rows pending sealing right after the load: ${audit[0]!.pending}`,
    );
    const sealedAfter = await waitSealed(db);
    log(`all audit rows sealed ${sealedAfter} s after the load ended`);
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30 },
      loadavgAtEnd: loadavg(),
      runs,
      seconds,
      instances,
      results,
      spread,
      integrity: { acknowledged, created, ...audit[0], sealedAfterSeconds: sealedAfter },
      ratios: {
        createVsTrivialC20: +(
          results.create.c20.perSecond / results.trivialAction.c20.perSecond
        ).toFixed(2),
        createVsRawC20: +(results.create.c20.perSecond / results.rawPg.c20.perSecond).toFixed(3),
      },
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2));
    log(`ratios: ${JSON.stringify(report.ratios)}; results in ${out}`);
    if (created !== acknowledged || audit[0]!.missing !== 0)
      throw new Error("acknowledged creations and stored tickets/audit rows differ");
  } finally {
    for (const app of apps) await stop(app);
    await pool.end();
    await db.end();
  }
}

async function ticketCount(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Ticket" WHERE title LIKE 'Bench write %'`,
  );
  return rows[0]!.n;
}
