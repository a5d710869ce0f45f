// `npm run bench -- --reports`: the six reports of /reports (lib/reports/queries.ts) over the most
// recent year at a million tickets. Its own database (REPORTS_BENCH_DATABASE_URL, default
// tessera_bench_reports), reused when it already holds a seed of that size (--reseed rebuilds).
// The seed is generated inside PostgreSQL and carries only what the reports read: tickets with
// SLA due times, first responses, resolutions and next-response counts, CSAT surveys and time
// entries (no comments, no search text: the ticket search trigger is off during the load, as in
// seed-tickets.ts). Then a child process with the app's server modules times each report.
//   --tickets N (default 1,000,000)   --runs N (default 10, after 3 warm-up runs)
//   --out FILE (default .data/bench/results-reports.json)
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import pg from "pg";
import { readSeedMeta, recreateDatabase, writeSeedMeta } from "./db";
import { applyMigrations } from "../db/migrate";
import { TECHNICIANS, idSql } from "./seed-sql";
import { CATEGORY_NAMES, dropSecondaryIndexes, rebuildIndexes } from "./seed-tickets";

const REQUESTERS = 2000;
/** Tickets spread over three years, like the main seed: "a year" is the last third of them. */
const SPAN_DAYS = 3 * 365;
const CHUNK = 50_000;

// Per chunk (tickets $1..$2; $3 start, $4 ms per ticket, $5 now, $6 category ids).
// Status by age: most of the last two weeks still open, 3 % of older tickets too. Due times
// from the default policy's shape (first response 1-8 h by priority, resolution 2 days).
const TICKETS = `
INSERT INTO "Ticket" ("id", "number", "title", "description", "status", "priority", "categoryId",
  "requesterId", "assigneeId", "createdAt", "updatedAt", "firstResponseAt", "resolvedAt",
  "closedAt", "firstResponseDueAt", "resolutionDueAt", "nextResponseCount", "nextResponseBreaches")
WITH r AS (
  SELECT n, $3::timestamp + ((n - 1) * $4::float8 + random() * $4::float8) * interval '1 millisecond' AS created,
    random() AS r_open, random() AS r_kind, random() AS r_pri, random() AS r_cat, random() AS r_asg,
    random() AS r_fr, random() AS r_res, random() AS r_next
  FROM generate_series($1::int, $2::int) n
), s AS (
  SELECT r.*,
    (CASE WHEN r_open < CASE WHEN created > $5::timestamp - interval '14 days' THEN 0.6 ELSE 0.03 END
          THEN CASE WHEN r_kind < 0.3 THEN 'NEW' WHEN r_kind < 0.6 THEN 'OPEN'
                    WHEN r_kind < 0.88 THEN 'IN_PROGRESS' ELSE 'ON_HOLD' END
          WHEN r_kind < 0.15 THEN 'RESOLVED' ELSE 'CLOSED' END) AS status,
    (CASE WHEN r_pri < 0.25 THEN 'LOW' WHEN r_pri < 0.75 THEN 'MEDIUM' WHEN r_pri < 0.95 THEN 'HIGH'
          ELSE 'URGENT' END) AS priority
  FROM r
), t AS (
  SELECT s.*,
    CASE WHEN status = 'NEW' AND r_asg < 0.85 THEN NULL WHEN r_asg < 0.05 THEN NULL
         ELSE ${idSql("bench-tech-", `(1 + floor(${TECHNICIANS} * random()))::int`)} END AS assignee,
    CASE WHEN status = 'NEW' THEN NULL
         ELSE LEAST($5::timestamp, created + power(r_fr, 3) * interval '24 hours') END AS first_response,
    CASE WHEN status IN ('RESOLVED', 'CLOSED')
         THEN LEAST($5::timestamp, created + power(r_res, 2) * interval '10 days') END AS resolved,
    CASE priority WHEN 'URGENT' THEN interval '1 hour' WHEN 'HIGH' THEN interval '2 hours'
                  WHEN 'MEDIUM' THEN interval '4 hours' ELSE interval '8 hours' END AS fr_target
  FROM s
)
SELECT ${idSql("bench-ticket-", "n")}, n, 'Bench ticket ' || n, 'Generated for the reports benchmark.',
  status::"TicketStatus", priority::"TicketPriority",
  ($6::text[])[CASE WHEN r_cat < 0.30 THEN 1 WHEN r_cat < 0.60 THEN 2 WHEN r_cat < 0.80 THEN 3
                    WHEN r_cat < 0.95 THEN 4 ELSE 5 END],
  ${idSql("bench-user-", `(1 + floor(${REQUESTERS} * random()))::int`)}, assignee, created,
  COALESCE(resolved, first_response, created), first_response, resolved,
  CASE WHEN status = 'CLOSED' THEN resolved END,
  created + fr_target, created + interval '2 days',
  CASE WHEN status = 'NEW' THEN 0 ELSE floor(r_next * 4)::int END,
  CASE WHEN status = 'NEW' THEN 0 ELSE floor(r_next * 4 * random() * 0.5)::int END
FROM t`;

// A survey for 40 % of the chunk's resolved tickets (three quarters answered), and 0-2 time
// entries per assigned ticket.
const CSAT = `
INSERT INTO "CsatSurvey" ("id", "ticketId", "requesterId", "assigneeId", "categoryId", "resolvedAt",
  "tokenHash", "expiresAt", "rating", "answeredAt")
SELECT 'csat-' || t."number", t."id", t."requesterId", t."assigneeId", t."categoryId", t."resolvedAt",
  md5('bench-csat-' || t."number"), t."resolvedAt" + interval '14 days',
  CASE WHEN a < 0.75 THEN (CASE WHEN random() < 0.7 THEN 'GOOD' WHEN random() < 0.6 THEN 'OKAY'
                                ELSE 'BAD' END)::"CsatRating" END,
  CASE WHEN a < 0.75 THEN LEAST($3::timestamp, t."resolvedAt" + random() * interval '2 days') END
FROM (SELECT t.*, random() AS a, random() AS pick FROM "Ticket" t
      WHERE t."number" BETWEEN $1 AND $2 AND t."resolvedAt" IS NOT NULL) t
WHERE t.pick < 0.4`;

const TIME = `
INSERT INTO "TimeEntry" ("id", "ticketId", "categoryId", "userId", "minutes", "workDate", "billable",
  "updatedAt")
SELECT 'time-' || t."number" || '-' || k, t."id", t."categoryId", t."assigneeId",
  5 + floor(random() * 120)::int,
  (LEAST($3::timestamp, t."createdAt" + random() * interval '3 days'))::date, random() < 0.4, now()
FROM "Ticket" t CROSS JOIN LATERAL generate_series(1, floor(random() * 3)::int) k
WHERE t."number" BETWEEN $1 AND $2 AND t."assigneeId" IS NOT NULL`;

const log = (line: string) => console.log(`[bench:reports] ${line}`);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '256MB'");
  return client;
}

async function seed(url: string, tickets: number): Promise<Record<string, number>> {
  const phases: Record<string, number> = {};
  const client = await connect(url);
  let t = performance.now();
  const saved = await dropSecondaryIndexes(client);
  try {
    await client.query(`ALTER TABLE "Ticket" DISABLE TRIGGER "Ticket_search_vector"`);
    for (const [prefix, role, n] of [
      ["bench-user-", "USER", REQUESTERS],
      ["bench-tech-", "TECHNICIAN", TECHNICIANS],
      ["bench-admin-", "ADMIN", 2],
    ] as const) {
      await client.query(
        `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt")
         SELECT ${idSql(prefix, "k")}, $1 || k || '@bench.tessera.test', $1 || k, 'x', $2::"Role", now()
         FROM generate_series(1, $3::int) k`,
        [prefix, role, n],
      );
    }
    const cats: string[] = [];
    for (const [i, name] of CATEGORY_NAMES.entries()) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "Category" ("id", "name", "position", "updatedAt")
         VALUES (${idSql("bench-cat-", "$1::text")}, $2, $3, now()) RETURNING "id"`,
        [String(i + 1), name, i],
      );
      cats.push(rows[0]!.id);
    }
    const now = new Date();
    const spanMs = SPAN_DAYS * 86_400_000;
    const start = new Date(now.getTime() - spanMs - 3_600_000);
    const chunks: [number, number][] = [];
    for (let lo = 1; lo <= tickets; lo += CHUNK)
      chunks.push([lo, Math.min(lo + CHUNK - 1, tickets)]);
    let done = 0;
    await Promise.all(
      [0, 1].map(async () => {
        const worker = await connect(url);
        try {
          for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
            await worker.query("BEGIN");
            await worker.query(TICKETS, [
              chunk[0],
              chunk[1],
              start.toISOString(),
              spanMs / tickets,
              now.toISOString(),
              cats,
            ]);
            await worker.query(CSAT, [chunk[0], chunk[1], now.toISOString()]);
            await worker.query(TIME, [chunk[0], chunk[1], now.toISOString()]);
            await worker.query("COMMIT");
            done += chunk[1] - chunk[0] + 1;
            log(`  tickets ${done}/${tickets} (${Math.round((performance.now() - t) / 1000)} s)`);
          }
        } finally {
          await worker.end();
        }
      }),
    );
    phases.load = performance.now() - t;
    t = performance.now();
    log(`  rebuilding ${saved.length} indexes`);
    await rebuildIndexes(url, saved.splice(0));
    phases.indexes = performance.now() - t;
    await client.query(`SELECT setval(pg_get_serial_sequence('"Ticket"', 'number'), $1::int)`, [
      tickets,
    ]);
    t = performance.now();
    await client.query(`VACUUM ANALYZE "User", "Category", "Ticket", "CsatSurvey", "TimeEntry"`);
    phases.analyze = performance.now() - t;
    return phases;
  } finally {
    if (saved.length > 0) await rebuildIndexes(url, saved).catch(() => {});
    await client
      .query(`ALTER TABLE "Ticket" ENABLE TRIGGER "Ticket_search_vector"`)
      .catch(() => {});
    await client.end();
  }
}

export async function benchReports(options: {
  tickets: number;
  runs: number;
  reseed: boolean;
  out?: string;
}): Promise<void> {
  const url =
    process.env.REPORTS_BENCH_DATABASE_URL ||
    "postgresql://postgres@127.0.0.1:5432/tessera_bench_reports";
  const meta = await readSeedMeta(url);
  if (!options.reseed && meta && meta.tickets === options.tickets) {
    log(`reusing the seed from ${meta.seededAt} (${options.tickets} tickets)`);
    await applyMigrations(url, { log: (line) => log(`  ${line}`) });
  } else {
    await recreateDatabase(url, log);
    log(`seeding ${options.tickets} tickets with SLA columns, CSAT surveys and time entries`);
    const started = performance.now();
    const phases = await seed(url, options.tickets);
    const seconds = +((performance.now() - started) / 1000).toFixed(1);
    log(`  seeded in ${seconds} s ${JSON.stringify(phases)}`);
    await writeSeedMeta(url, {
      tickets: options.tickets,
      auditEvents: 0,
      seededAt: new Date().toISOString(),
      seed: { phases, seconds },
    });
  }
  if (process.argv.includes("--seed-only")) return;
  const run = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/bench/reports-measure.ts"],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        DATABASE_URL: url,
        AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-only-secret-not-for-production-0123456789",
        LOG_LEVEL: "silent",
        REPORTS_BENCH_RUNS: String(options.runs),
        REPORTS_BENCH_TICKETS: String(options.tickets),
        REPORTS_BENCH_OUT: resolve(options.out ?? ".data/bench/results-reports.json"),
      },
    },
  );
  if (run.status !== 0) throw new Error(`reports-measure.ts exited with ${run.status}`);
}
