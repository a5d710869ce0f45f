// `npm run bench -- --embedded`: what the embedded default (`npm start` without DATABASE_URL)
// sustains. Runs the app the way a newcomer does (scripts/start.ts in a private built copy, with
// its own embedded database in a temp folder), adds a small team's history (requesters,
// technicians, tickets with replies) in SQL, then measures pages and ticket creation through the
// real server action at concurrency 1 and 10, counting every error. Results: JSON in --out and
// a summary on stdout; docs/benchmarks.md ("Embedded default") records a run.
//
//   --seconds N    length of each concurrency-10 phase (default 20)
//   --runs N       timed requests per page / creations at concurrency 1 (default 100)
//   --tickets N    tickets in the seeded history (default 5,000)
//   --app-dir DIR  the private copy (default /tmp/g-app-embedded); --no-build reuses it
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { embeddedUrl } from "../lib/embedded";
import { cookieFor, findAction, postAction } from "../lib/app-client";
import { prepareApp } from "./measure-http";
import { load, summarize, timeRuns } from "./stats";

type Log = (line: string) => void;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function startTessera(
  appDir: string,
  dataDir: string,
  port: number,
  dbPort: number,
  log: Log,
) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: appDir,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: "",
      TESSERA_DATA_DIR: dataDir,
      TESSERA_DB_PORT: String(dbPort),
      PORT: String(port),
      LOG_LEVEL: "warn",
      // Many requesters file tickets below; the per-user hourly cap is not what is measured.
      RATE_LIMIT_TICKETS_PER_HOUR: "100000",
    },
  });
  child.stdout!.on("data", (d: Buffer) => {
    for (const line of d.toString().split("\n")) if (line.trim()) log(`  [app] ${line}`);
  });
  for (let i = 0; i < 900; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/login`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGTERM");
  throw new Error("the app did not answer within 7.5 minutes");
}

/** A small team's history: requesters, technicians, tickets (some assigned, with replies). */
async function seedTeam(
  db: pg.Client,
  tickets: number,
): Promise<{ requesters: string[]; technician: string; ticket: number }> {
  await db.query(`
    INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt")
    SELECT 'bench-req-' || i, 'bench-req-' || i || '@example.test', 'Requester ' || i, '!', 'USER'::"Role", now()
      FROM generate_series(1, 200) i
    UNION ALL
    SELECT 'bench-tech-' || i, 'bench-tech-' || i || '@example.test', 'Technician ' || i, '!', 'TECHNICIAN'::"Role", now()
      FROM generate_series(1, 5) i`);
  await db.query(
    `INSERT INTO "Ticket" (id, title, description, status, priority, "categoryId", "requesterId", "assigneeId", "createdAt", "updatedAt")
     SELECT 'bench-t-' || i,
            'Printer on floor ' || (i % 7) || ' shows error ' || i,
            'Since this morning the printer answers with error ' || i || '. Restarting did not help.',
            (ARRAY['NEW','OPEN','IN_PROGRESS','ON_HOLD','RESOLVED','CLOSED'])[1 + i % 6]::"TicketStatus",
            (ARRAY['LOW','MEDIUM','HIGH','URGENT'])[1 + i % 4]::"TicketPriority",
            (SELECT id FROM "Category" ORDER BY position LIMIT 1 OFFSET i % 3),
            'bench-req-' || (1 + i % 200),
            CASE WHEN i % 3 = 0 THEN NULL ELSE 'bench-tech-' || (1 + i % 5) END,
            now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
       FROM generate_series(1, $1::int) i`,
    [tickets],
  );
  await db.query(`
    INSERT INTO "TicketComment" (id, "ticketId", "authorId", body, internal, "createdAt")
    SELECT 'bench-c-' || t.id || '-' || k, t.id,
           CASE WHEN k % 2 = 0 THEN t."requesterId" ELSE 'bench-tech-1' END,
           'Reply ' || k || ' about this problem, with **some** Markdown.', false,
           t."createdAt" + (k || ' minutes')::interval
      FROM "Ticket" t, generate_series(1, 4) k WHERE t.id LIKE 'bench-t-%'`);
  const { rows } = await db.query<{ number: number }>(
    `SELECT number FROM "Ticket" WHERE id = 'bench-t-7'`,
  );
  return {
    requesters: Array.from({ length: 200 }, (_, i) => `bench-req-${i + 1}`),
    technician: "bench-tech-1",
    ticket: rows[0]!.number,
  };
}

export async function benchEmbedded(): Promise<void> {
  const log: Log = (line) => console.log(`[bench:embedded] ${line}`);
  const seconds = Number(flag("seconds") ?? 20);
  const runs = Number(flag("runs") ?? 100);
  const tickets = Number(flag("tickets") ?? 5000);
  const appDir = resolve(flag("app-dir") ?? "/tmp/g-app-embedded");
  const out = resolve(flag("out") ?? ".data/bench/results-embedded.json");
  if (!process.argv.includes("--no-build")) prepareApp(appDir, "postgresql://unused", log);
  const dataDir = mkdtempSync(join(tmpdir(), "tessera-bench-embedded-"));
  const port = 3950 + (process.pid % 40);
  const dbPort = 55000 + (process.pid % 900);
  const base = `http://127.0.0.1:${port}`;
  log(`starting the app as npm start does (data in ${dataDir})`);
  const t0 = performance.now();
  let app: ChildProcess | undefined;
  const db = new pg.Client({ connectionString: embeddedUrl(dbPort) });
  try {
    app = await startTessera(appDir, dataDir, port, dbPort, log);
    const startSeconds = +((performance.now() - t0) / 1000).toFixed(1);
    await db.connect();
    const team = await seedTeam(db, tickets);
    log(`seeded ${tickets} tickets, 200 requesters, 5 technicians`);
    const secret = readFileSync(join(dataDir, "auth-secret"), "utf8").trim();
    const staff = await cookieFor(db, team.technician, secret);
    const requesters: string[] = [];
    for (const id of team.requesters) requesters.push(await cookieFor(db, id, secret));
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM "Category" ORDER BY position LIMIT 1`,
    );
    const category = rows[0]!.id;

    const headers = (cookie: string) => ({ cookie, "x-forwarded-proto": "http" });
    const get = async (path: string, cookie: string, expect: string) => {
      const res = await fetch(`${base}${path}`, { headers: headers(cookie), redirect: "manual" });
      const body = await res.text();
      if (res.status !== 200 || !body.includes(expect))
        throw new Error(`GET ${path}: ${res.status}`);
    };
    const pages = [
      { name: "staff queue: all open", path: "/tickets?queue=open", cookie: staff, expect: "#" },
      {
        name: "staff: ticket with 4 replies",
        path: `/tickets/${team.ticket}`,
        cookie: staff,
        expect: `#${team.ticket}`,
      },
      { name: "staff: search", path: "/tickets?q=printer", cookie: staff, expect: "#" },
      {
        name: "requester: My tickets",
        path: "/tickets",
        cookie: requesters[0]!,
        expect: "My tickets",
      },
      { name: "requester: home", path: "/", cookie: requesters[1]!, expect: "Tessera" },
    ];
    const pageResults = [];
    for (const p of pages) {
      const c1 = summarize(await timeRuns(() => get(p.path, p.cookie, p.expect), runs));
      const c10 = await load(() => get(p.path, p.cookie, p.expect), 10, seconds / 2);
      log(
        `GET ${p.name}: c1 p50 ${c1.p50} p95 ${c1.p95} ms; c10 p95 ${c10.latency.p95} ms, ${c10.perSecond}/s, ${c10.errors} errors`,
      );
      pageResults.push({ ...p, cookie: undefined, concurrency1: c1, concurrency10: c10 });
    }

    const action = findAction(appDir);
    let seq = 0;
    const acknowledged: string[] = [];
    const create = async () => {
      const title = `Bench embedded ${process.pid}-${++seq}`;
      const { status, body } = await postAction(
        base,
        action,
        requesters[seq % requesters.length]!,
        [{ title, description: "The VPN drops every ten minutes.", categoryId: category }],
      );
      if (status !== 200 || !body.includes('"ok":true'))
        throw new Error(`create: ${status} ${body.slice(0, 120)}`);
      acknowledged.push(title);
    };
    const c1 = summarize(await timeRuns(create, runs));
    const c1Rate = +(1000 / c1.mean).toFixed(1);
    log(`create c1: p50 ${c1.p50} p95 ${c1.p95} ms (${c1Rate}/s)`);
    const c10 = await load(create, 10, seconds);
    log(
      `create c10: ${c10.perSecond}/s, p95 ${c10.latency.p95} ms, ${c10.errors} errors of ${c10.requests}`,
    );
    const stored = await db.query<{ n: number; audited: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."entityId" = t.id AND a.action = 'ticket.create'))::int AS audited
         FROM "Ticket" t WHERE title LIKE $1`,
      [`Bench embedded ${process.pid}-%`],
    );
    const integrity = {
      acknowledged: acknowledged.length,
      stored: stored.rows[0]!.n,
      audited: stored.rows[0]!.audited,
    };
    log(`integrity: ${JSON.stringify(integrity)}`);
    const results = {
      startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
      },
      loadAverage: loadavg().map((v) => +v.toFixed(2)),
      startSeconds,
      seeded: { tickets, requesters: 200, technicians: 5, repliesPerTicket: 4 },
      pages: pageResults,
      creation: { concurrency1: { latency: c1, perSecond: c1Rate }, concurrency10: c10 },
      integrity,
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${out}`);
    if (integrity.stored !== integrity.acknowledged || integrity.audited !== integrity.stored)
      throw new Error("an acknowledged ticket is missing or has no audit event");
  } finally {
    await db.end().catch(() => {});
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 3000));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
