// The Prometheus metrics of this process (issue 12 §3; docs/decisions/019-metrics.md).
// Script-safe (no "server-only"): scripts/server.ts records HTTP requests here, Next's bundled
// code records actions and jobs and answers the scrape. The two may load this module twice
// (tsx and Next's bundle), so the registry and every metric live on globalThis: whoever comes
// first creates them, everyone else uses the same objects. Collect callbacks read only that
// holder, never module state.
//
// Label policy: only bounded values set by our code (route patterns, action names from
// defineAction, job names, HTTP methods and status codes, outcomes), never a URL, id, user or
// address.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The part of pg.Pool the gauges read. */
export type PoolLike = { totalCount: number; idleCount: number; waitingCount: number };

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pools = new Set<{ pool: PoolLike; max: number }>();
  const sum = (read: (p: { pool: PoolLike; max: number }) => number) =>
    [...pools].reduce((total, p) => total + read(p), 0);
  const poolGauge = (
    name: string,
    help: string,
    read: (p: { pool: PoolLike; max: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(sum(read));
      },
    });
  const metrics = {
    httpRequests: new Counter({
      name: "tessera_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status code.",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "tessera_http_request_duration_seconds",
      help: "Time from request to the end of the response, by method and route pattern.",
      labelNames: ["method", "route"] as const,
      buckets: SECONDS,
      registers: [registry],
    }),
    httpInFlight: new Gauge({
      name: "tessera_http_requests_in_flight",
      help: "HTTP requests being answered now.",
      registers: [registry],
    }),
    actions: new Counter({
      name: "tessera_action_calls_total",
      help: "Server actions, by action name and outcome (ok, invalid, refused, rejected, error, redirect).",
      labelNames: ["action", "outcome"] as const,
      registers: [registry],
    }),
    actionDuration: new Histogram({
      name: "tessera_action_duration_seconds",
      help: "Server action time inside defineAction, by action name and outcome.",
      labelNames: ["action", "outcome"] as const,
      buckets: SECONDS,
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: "tessera_job_runs_total",
      help: "Runs of the background jobs of the outbox loop, by job and outcome (ok, error).",
      labelNames: ["job", "outcome"] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "tessera_job_duration_seconds",
      help: "Duration of a background job run, by job.",
      labelNames: ["job"] as const,
      buckets: SECONDS,
      registers: [registry],
    }),
    jobLastSuccess: new Gauge({
      name: "tessera_job_last_success_timestamp_seconds",
      help: "Unix time of the last successful run of a background job in this process.",
      labelNames: ["job"] as const,
      registers: [registry],
    }),
    poolTotal: poolGauge(
      "tessera_db_pool_connections",
      "Open connections of this process's database pool.",
      (p) => p.pool.totalCount,
    ),
    poolIdle: poolGauge(
      "tessera_db_pool_idle_connections",
      "Idle connections of this process's database pool.",
      (p) => p.pool.idleCount,
    ),
    poolWaiting: poolGauge(
      "tessera_db_pool_waiting_requests",
      "Queries waiting for a connection of this process's database pool.",
      (p) => p.pool.waitingCount,
    ),
    poolMax: poolGauge(
      "tessera_db_pool_max_connections",
      "Size limit of this process's database pool (DATABASE_POOL_SIZE).",
      (p) => p.max,
    ),
  };
  return { registry, metrics, pools };
}

export type AppMetrics = ReturnType<typeof create>;

const holder = globalThis as unknown as { tesseraMetrics?: AppMetrics };

/** The process's registry and metrics (created on first use). */
export function appMetrics(): AppMetrics {
  holder.tesseraMetrics ??= create();
  return holder.tesseraMetrics;
}

/** lib/db.ts hands its pg.Pool here; the pool gauges read it at each scrape. */
export function registerPool(pool: PoolLike, max: number): void {
  appMetrics().pools.add({ pool, max });
}

/** How a server action ended (lib/action.ts). */
export type ActionOutcome = "ok" | "invalid" | "refused" | "rejected" | "error" | "redirect";

/** Counts one server action call and its time since `started` (process.hrtime.bigint()). */
export function observeAction(action: string, outcome: ActionOutcome, started: bigint): void {
  const { metrics } = appMetrics();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  metrics.actions.inc({ action, outcome });
  metrics.actionDuration.observe({ action, outcome }, seconds);
}

/** Counts one run of a background job (lib/outbox/worker.ts). */
export function observeJob(job: string, ok: boolean, started: bigint): void {
  const { metrics } = appMetrics();
  metrics.jobRuns.inc({ job, outcome: ok ? "ok" : "error" });
  metrics.jobDuration.observe({ job }, Number(process.hrtime.bigint() - started) / 1e9);
  if (ok) metrics.jobLastSuccess.set({ job }, Date.now() / 1000);
}
