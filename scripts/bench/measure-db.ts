// Database-side measurements, run as a child process (see measureDatabase) under
// `--conditions=react-server` so the app's own "server-only" modules load: the scenarios call
// lib/tickets and lib/audit exactly as the pages do, and every statement they send is timed at
// the driver (query-capture.ts). Writes its results as JSON to the file named by argv[2].
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { capture, explainAll, inFlightMs, installCapture, type Captured } from "./query-capture";
import { summarize, type Summary } from "./stats";
import { buildScenarios, type Scenario } from "./scenarios";

export type ScenarioResult = {
  name: string;
  group: string;
  target: number;
  note?: string;
  /** Per run: time with at least one of its statements in flight at the driver (overlap merged). */
  db: Summary;
  /** Each statement separately (same order every run). */
  statements: { sql: string; summary: Summary }[];
  /** The whole lib function, Prisma overhead included. */
  call: Summary;
  plans: { sql: string; values: unknown[]; plan: string }[];
};

async function runScenario(s: Scenario, runs: number, explain: pg.Client): Promise<ScenarioResult> {
  for (let i = 0; i < 10; i++) await s.run();
  const totals: number[] = [];
  const calls: number[] = [];
  const perStatement: number[][] = [];
  let last: Captured[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const { statements } = await capture(s.run);
    calls.push(performance.now() - started);
    const data = statements.filter((st) => !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(st.text));
    totals.push(inFlightMs(data));
    data.forEach((st, j) => (perStatement[j] ??= []).push(st.ms));
    last = data;
  }
  return {
    name: s.name,
    group: s.group,
    target: s.target,
    note: s.note,
    db: summarize(totals),
    statements: last.map((st, j) => ({ sql: st.text, summary: summarize(perStatement[j] ?? []) })),
    call: summarize(calls),
    plans: await explainAll(explain, last),
  };
}

async function child(): Promise<void> {
  const out = process.argv[2]!;
  const runs = Number(process.argv[3] ?? 100);
  installCapture();
  const explain = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await explain.connect();
  try {
    const { scenarios, facts } = await buildScenarios(explain);
    const results: ScenarioResult[] = [];
    for (const s of scenarios) {
      const r = await runScenario(s, runs, explain);
      console.log(
        `[bench]   ${s.name}: db p50 ${r.db.p50} p95 ${r.db.p95} p99 ${r.db.p99} ms (call p95 ${r.call.p95})`,
      );
      results.push(r);
    }
    writeFileSync(
      out,
      JSON.stringify({ facts, scenarios: results }, (_, v) =>
        typeof v === "bigint" ? v.toString() : v,
      ),
    );
  } finally {
    await explain.end();
    const { db } = await import("@/lib/db");
    await db.$disconnect();
  }
}

/** Runs the child with the app's environment pointed at the bench database. */
export async function measureDatabase(
  url: string,
  options: { runs: number; log: (line: string) => void },
): Promise<unknown> {
  const out = join("/tmp", `tessera-bench-db-${process.pid}.json`);
  options.log(`database measurements (${options.runs} runs each after 10 warm-ups)`);
  const code = await new Promise<number | null>((done) => {
    const proc = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "scripts/bench/measure-db.ts",
        out,
        String(options.runs),
      ],
      {
        stdio: "inherit",
        env: {
          ...process.env,
          BENCH_DB_CHILD: "1",
          DATABASE_URL: url,
          DATABASE_POOL_SIZE: "10",
          AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-only-secret-not-used-for-anything-real",
          NODE_ENV: "production",
          LOG_LEVEL: "warn",
        },
      },
    );
    proc.on("exit", (c) => done(c));
  });
  if (code !== 0) throw new Error(`database measurements failed (exit ${code})`);
  return JSON.parse(readFileSync(out, "utf8"));
}

if (process.env.BENCH_DB_CHILD === "1") {
  child().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
