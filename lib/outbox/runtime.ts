import "server-only";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { onShutdown } from "@/lib/shutdown";
import {
  describeDestinations,
  destinationsFromEnv,
  type Destinations,
} from "@/lib/outbox/destinations";
import {
  createOutboxWorker,
  type OutboxWorker,
  type OutboxWorkerOptions,
} from "@/lib/outbox/worker";

// The one delivery loop of this server process, started by instrumentation.ts. Kept on
// globalThis so a hot reload in development does not start a second one.
const holder = globalThis as unknown as { tesseraOutbox?: OutboxWorker };

/**
 * Starts the loop unless TESSERA_OUTBOX_WORKER is "0" (set it to 0 on instances that should only
 * enqueue). It delivers when a destination is configured, and always runs the security jobs
 * (refusal summaries, anomaly rules: lib/security/jobs.ts). Safe to call more than once.
 */
export function startSecurityOutbox(jobs: OutboxWorkerOptions["jobs"] = []): void {
  if (holder.tesseraOutbox) return;
  if (process.env.TESSERA_OUTBOX_WORKER === "0") return;
  let destinations: Destinations = {};
  try {
    destinations = destinationsFromEnv();
  } catch (err) {
    // The jobs still run; events are still logged by pino.
    logger.error({ err }, "security event forwarding is misconfigured; not delivering");
  }
  const worker = createOutboxWorker({
    db,
    destinations,
    log: logger.child({ component: "security-outbox" }),
    jobs,
  });
  holder.tesseraOutbox = worker;
  worker.start();
  // SIGTERM: the round in progress finishes (no job is cut off mid-batch), then the loop ends.
  onShutdown("security outbox loop and jobs", () => worker.stop());
  logger.info(
    { destinations: describeDestinations(destinations) },
    "security outbox loop started (delivery and security jobs)",
  );
}

/** Nudges this process's loop after an event was enqueued (no-op when none runs here). */
export function wakeSecurityOutbox(): void {
  holder.tesseraOutbox?.wake();
}
