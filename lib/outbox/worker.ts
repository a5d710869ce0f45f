// The delivery loop. One per app instance (started from instrumentation.ts); any number may run
// against one database: rows are claimed with FOR UPDATE SKIP LOCKED (store.ts), so each row is
// sent by one worker at a time. Delivery is at-least-once: a crash after the receiver accepted an
// event but before it was marked delivered sends it again after the lease; events carry a
// stable `id` for receivers that de-duplicate.
import type { Db } from "@/lib/db";
import { backoffMs, DEFAULT_BACKOFF, type BackoffOptions } from "@/lib/outbox/backoff";
import type { Destinations } from "@/lib/outbox/destinations";
import { observeJob } from "@/lib/metrics/registry";
import { claimDue, markDelivered, markFailed, purgeDelivered } from "@/lib/outbox/store";
import { deliver } from "@/lib/outbox/transports";
import type { DestinationName } from "@/lib/outbox/types";

type Log = {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

export type OutboxWorkerOptions = {
  db: Pick<Db, "$queryRaw" | "$executeRaw" | "$transaction">;
  destinations: Destinations;
  log?: Log;
  /** How often to look for due rows when nothing woke the loop. */
  pollMs?: number;
  batchSize?: number;
  /** Per-send timeout; the lease is derived from it. */
  timeoutMs?: number;
  backoff?: BackoffOptions;
  retentionDays?: number;
  /**
   * Background work over the database that runs in this same loop, before each delivery round
   * and at most every `jobsEveryMs` (default 1 s): the refusal summaries and the anomaly rules
   * (lib/security/jobs.ts). Whatever events they enqueue go out in the same round. A failing job
   * is logged and does not stop the loop or the other jobs.
   */
  jobs?: { name: string; run: () => Promise<unknown> }[];
  jobsEveryMs?: number;
};

export type OutboxWorker = {
  /** Runs the jobs now (whatever the time since the last run); for tests. */
  runJobs: () => Promise<void>;
  /** Runs one claim-and-send round; resolves with how many rows it handled. */
  runOnce: () => Promise<{ delivered: number; failed: number }>;
  /** Ask the loop to look now (called after an event is enqueued in this process). */
  wake: () => void;
  start: () => void;
  stop: () => Promise<void>;
};

const silent: Log = { info: () => {}, warn: () => {}, error: () => {} };

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const log = options.log ?? silent;
  const pollMs = options.pollMs ?? 2_000;
  const batchSize = options.batchSize ?? 50;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  // Longer than any send can take, so a live worker never loses a row it is still sending.
  const leaseSeconds = Math.ceil((timeoutMs * 2) / 1000) + 30;
  const retentionDays = options.retentionDays ?? 30;

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let lastPurge = 0;
  let lastJobs = 0;
  const jobs = options.jobs ?? [];
  const jobsEveryMs = options.jobsEveryMs ?? 1_000;

  async function runJobs() {
    if (jobs.length === 0 || Date.now() - lastJobs < jobsEveryMs) return;
    lastJobs = Date.now();
    for (const job of jobs) {
      const started = process.hrtime.bigint();
      try {
        await job.run();
        observeJob(job.name, true, started);
      } catch (err) {
        observeJob(job.name, false, started);
        log.error({ err, job: job.name }, "outbox: background job failed");
      }
    }
  }

  async function runOnce() {
    const rows = await claimDue(options.db, batchSize, leaseSeconds);
    let delivered = 0;
    let failed = 0;
    await Promise.all(
      rows.map(async (row) => {
        try {
          await deliver(row.destination as DestinationName, row.payload, options.destinations, {
            db: options.db,
            timeoutMs,
          });
          await markDelivered(options.db, row.id);
          delivered++;
        } catch (err) {
          failed++;
          const message = (err as Error).message || String(err);
          const retryIn = backoffMs(row.attempts, backoff);
          await markFailed(options.db, row.id, retryIn, message).catch((e: Error) =>
            log.error({ err: e, outboxId: row.id.toString() }, "outbox: could not record failure"),
          );
          log.warn(
            {
              outboxId: row.id.toString(),
              destination: row.destination,
              attempts: row.attempts,
              retryInMs: retryIn,
              error: message,
            },
            "security event delivery failed; will retry",
          );
        }
      }),
    );
    return { delivered, failed };
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function main() {
    while (running) {
      let full = false;
      try {
        await runJobs();
        const batch = await runOnce();
        full = batch.delivered + batch.failed >= batchSize;
        if (Date.now() - lastPurge > 3_600_000) {
          lastPurge = Date.now();
          await purgeDelivered(options.db, retentionDays);
        }
      } catch (err) {
        // The database is down or restarting: keep the loop alive, try again later.
        log.error({ err }, "outbox: delivery round failed");
      }
      if (running && !full) await sleep(pollMs);
    }
  }

  return {
    runJobs: async () => {
      lastJobs = 0;
      await runJobs();
    },
    runOnce,
    wake() {
      woken = true;
      wakeUp?.();
    },
    start() {
      if (running) return;
      running = true;
      loop = main();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
