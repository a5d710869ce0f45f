// `npm run bench`: seeds a large help desk into its own PostgreSQL database, then measures the
// ticket queries in the database and the real pages and server action over HTTP.
//
//   BENCH_DATABASE_URL   default postgresql://postgres@127.0.0.1:5432/tessera_bench (the name
//                        must contain "bench": --reseed drops it)
//   BENCH_TICKETS / --tickets N            default 1,000,000
//   BENCH_AUDIT_EVENTS / --audit-events N  default 1,000,000
//   --reseed        rebuild even if the database already holds a seed of that size
//   --seed-only     stop after seeding;   --no-http   skip the HTTP measurements
//   --runs N        timed runs per measurement (default 100, after 10 warm-up runs)
//   --no-verify-chain  skip the final full audit-chain verification (minutes at 1M events)
//   --no-build      reuse the app already built in --app-dir
//   --skip-typecheck  build the private copy without next's type check (someone's file mid-edit)
//   --app-dir DIR   a built copy of the app for the HTTP part (default /tmp/g-app)
//   --out FILE      results JSON (default .data/bench/results-<tickets>.json)
//   --embedded      instead: the embedded default under load (scripts/bench/embedded.ts)
//   --refusal-flood instead: other users' audited writes during a flood of refused sign-ins,
//                   old path vs aggregated (scripts/bench/refusal-flood.ts)
//   --writes        instead: the write path side by side: raw pg, a trivial server action and
//                   ticket creation (scripts/bench/writes.ts)
//   --load          after seeding (or reusing the seed), instead of the measurements: a working day
//                   of 50 technicians and 500 requesters (scripts/bench/mixed.ts); --rate N
//                   requests/s (default 100) for --seconds N (default 600), then a ramp over
//                   --ramp 150,200,... (--step-seconds N, default 60) until a page's p95 passes
//                   300 ms (--ramp none: no ramp); --out (default .data/bench/results-load.json);
//                   --app-heap-mb N: the app's V8 old-space limit;
//                   --cpu-prof: the app under V8's profiler, the main phase's time per request
//   --attachments   instead: uploads and downloads of attachments (25 MiB files, 100 photos at
//                   once, the app's memory during an upload) (scripts/bench/attachments.ts);
//                   with --memory-sizes 1,5,25,100: only the memory by file size
//   --email         instead: the cost of the email notification job per mail, with a CPU
//                   profile (scripts/bench/email.ts)
//   --markdown      instead: Markdown parsers on the adversarial corpus and a ticket page with
//                   50 worst-case comments (scripts/bench/markdown.ts)
//   --sla           instead: the SLA arithmetic a ticket write pays (scripts/bench/sla.ts), no
//                   database; --runs N (default 2,000), --out FILE
//   --reports       instead: each report of /reports over the last year, on its own seed of
//                   --tickets N (default 1,000,000) with SLA columns, CSAT and time entries
//                   (scripts/bench/reports.ts); --runs N (default 10), --out FILE
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { DEFAULT_BENCH_URL, readSeedMeta, recreateDatabase, writeSeedMeta } from "./db";
import { seedTickets, verifyVectorsAgainstTriggers } from "./seed-tickets";
import { seedAudit } from "./seed-audit";
import { applyMigrations } from "../db/migrate";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);
function count(value: string | undefined, fallback: number, min = 100): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < min)
    throw new Error(`Expected an integer >= ${min}, got "${value}"`);
  return n;
}

const log = (line: string) => console.log(`[bench] ${line}`);

/**
 * A bench that runs the app's server modules in a child process against its own database
 * (recreated, migrated): `loader` lets "server-only" load outside Next.
 */
async function benchChild(url: string, script: string, loader: string[]): Promise<void> {
  await recreateDatabase(url, log);
  await applyMigrations(url, { log: (line) => log(`  ${line}`) });
  const { spawnSync } = await import("node:child_process");
  const run = spawnSync(process.execPath, [...loader, script], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-only-secret-not-for-production-0123456789",
      LOG_LEVEL: "silent",
    },
  });
  if (run.status !== 0) throw new Error(`${script} exited with ${run.status}`);
}

const benchRefusalFlood = () =>
  benchChild(
    process.env.REFUSAL_BENCH_DATABASE_URL ||
      "postgresql://postgres@127.0.0.1:5432/tessera_bench_refusals",
    "scripts/bench/refusal-flood.ts",
    ["--conditions=react-server", "--import", "tsx"],
  );

// Email rendering needs react-dom/server, which the react-server condition refuses.
const benchEmail = () =>
  benchChild(
    process.env.EMAIL_BENCH_DATABASE_URL ||
      "postgresql://postgres@127.0.0.1:5432/tessera_bench_email",
    "scripts/bench/email.ts",
    ["--import", "tsx", "--import", "./scripts/bench/allow-server-only.ts"],
  );

async function main(): Promise<void> {
  if (has("refusal-flood")) return benchRefusalFlood();
  if (has("email")) return benchEmail();
  if (has("sla")) {
    const { benchSla } = await import("./sla");
    return benchSla(process.argv.slice(2));
  }
  if (has("embedded")) {
    const { benchEmbedded } = await import("./embedded");
    return benchEmbedded();
  }
  if (has("writes")) {
    const { benchWrites } = await import("./writes");
    return benchWrites();
  }
  if (has("attachments")) {
    const { benchAttachments } = await import("./attachments");
    return benchAttachments();
  }
  if (has("reports")) {
    const { benchReports } = await import("./reports");
    return benchReports({
      tickets: count(flag("tickets") ?? process.env.BENCH_TICKETS, 1_000_000),
      runs: count(flag("runs"), 10, 3),
      reseed: has("reseed"),
      out: flag("out"),
    });
  }
  if (has("markdown")) {
    const { benchMarkdown } = await import("./markdown");
    return benchMarkdown();
  }
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_URL;
  const tickets = count(flag("tickets") ?? process.env.BENCH_TICKETS, 1_000_000);
  const auditEvents = count(flag("audit-events") ?? process.env.BENCH_AUDIT_EVENTS, 1_000_000);
  const runs = count(flag("runs"), 100, 5);
  const out = resolve(flag("out") ?? `.data/bench/results-${tickets}.json`);
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
    },
    tickets,
    auditEvents,
    // The CPU is shared with other engineers' builds and tests: record how busy it was.
    loadAverage: {} as Record<string, number[]>,
  };
  const load = (phase: string) =>
    ((results.loadAverage as Record<string, number[]>)[phase] = loadavg().map(
      (v) => +v.toFixed(2),
    ));

  const meta = await readSeedMeta(url);
  if (!has("reseed") && meta && meta.tickets === tickets && meta.auditEvents === auditEvents) {
    log(`reusing the seed from ${meta.seededAt} (${tickets} tickets, ${auditEvents} audit events)`);
    // Migrations added since the seed (new columns, indexes) apply on top of the seeded data.
    await applyMigrations(url, { log: (line) => log(`  ${line}`) });
    results.seed = meta.seed;
  } else {
    log(`creating and migrating the bench database`);
    await recreateDatabase(url, log);
    const started = performance.now();
    log(`seeding ${tickets} tickets`);
    const ticketSeed = await seedTickets(url, tickets, log);
    log(`seeding ${auditEvents} audit events (hash chain computed in Node)`);
    const audit = await seedAudit(url, auditEvents, tickets, log);
    log(`  ${JSON.stringify(audit)}`);
    const mismatches = await verifyVectorsAgainstTriggers(url);
    if (mismatches > 0)
      throw new Error(`${mismatches} seeded search vectors differ from the triggers'`);
    log(`search vectors match the triggers on the sampled tickets`);
    log(`  phases (ms): ${JSON.stringify(ticketSeed.phases)}`);
    const seed = {
      ...ticketSeed,
      audit,
      vectorMismatches: mismatches,
      totalSeconds: +((performance.now() - started) / 1000).toFixed(1),
    };
    await writeSeedMeta(url, { tickets, auditEvents, seededAt: new Date().toISOString(), seed });
    results.seed = seed;
  }
  for (const r of (results.seed as { rates: unknown[] }).rates ?? []) log(`  ${JSON.stringify(r)}`);
  load("beforeMeasurements");
  if (has("load")) {
    const { benchMixed } = await import("./mixed");
    await benchMixed(url, {
      log,
      appDir: flag("app-dir") ?? "/tmp/g-app",
      build: !has("no-build"),
      rate: count(flag("rate"), 100, 1),
      seconds: count(flag("seconds"), 600, 10),
      stepSeconds: count(flag("step-seconds"), 60, 10),
      rampRates:
        flag("ramp") === "none"
          ? []
          : (flag("ramp") ?? "150,200,250,300,400").split(",").map((r) => count(r, 0, 1)),
      out: resolve(flag("out") ?? ".data/bench/results-load.json"),
      cpuProf: has("cpu-prof") ? mkdtempSync(join(tmpdir(), "bench-load-prof-")) : undefined,
      appHeapMiB: flag("app-heap-mb") ? count(flag("app-heap-mb"), 0, 64) : undefined,
    });
    return;
  }
  if (!has("seed-only")) {
    const { measureDatabase } = await import("./measure-db");
    results.database = await measureDatabase(url, { runs, log });
    load("afterDatabase");
    if (!has("no-http")) {
      const { measureHttp } = await import("./measure-http");
      const facts = (results.database as { facts: Parameters<typeof measureHttp>[1]["facts"] })
        .facts;
      results.http = await measureHttp(url, {
        runs,
        log,
        facts,
        appDir: flag("app-dir") ?? "/tmp/g-app",
      });
    }
    load("afterHttp");
  }
  if (!has("seed-only") && !has("no-verify-chain")) {
    // The seeded chain plus everything the app appended during the run must verify end to end,
    // with the app's own verifier (this is also what the admin "Verify integrity" button costs).
    const { createPrismaClient } = await import("../../prisma/client");
    const { verifyAuditChain } = await import("../../lib/audit/verify");
    const prisma = createPrismaClient(url);
    const t = performance.now();
    const chain = await verifyAuditChain(prisma, { batchSize: 10_000, from: "start" });
    await prisma.$disconnect();
    results.auditChain = { ...chain, seconds: +((performance.now() - t) / 1000).toFixed(1) };
    log(`audit chain: ${JSON.stringify(results.auditChain)}`);
  }
  results.finishedAt = new Date().toISOString();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(results, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
  );
  log(`results written to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
