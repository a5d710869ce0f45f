import "server-only";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { describeDestinations, destinationsFromEnv } from "@/lib/outbox/destinations";
import { createOutboxWorker, type OutboxWorker } from "@/lib/outbox/worker";

// The one delivery loop of this server process, started by instrumentation.ts. Kept on
// globalThis so a hot reload in development does not start a second one.
const holder = globalThis as unknown as { tesseraOutbox?: OutboxWorker };

/**
 * Starts the loop when a destination is configured and TESSERA_OUTBOX_WORKER is not "0" (set it
 * to 0 on instances that should only enqueue). Safe to call more than once.
 */
export function startSecurityOutbox(): void {
  if (holder.tesseraOutbox) return;
  if (process.env.TESSERA_OUTBOX_WORKER === "0") return;
  let destinations;
  try {
    destinations = destinationsFromEnv();
  } catch (err) {
    logger.error({ err }, "security event forwarding is misconfigured; not delivering");
    return;
  }
  if (!destinations.siem && !destinations.slack) return;
  const worker = createOutboxWorker({
    db,
    destinations,
    log: logger.child({ component: "security-outbox" }),
  });
  holder.tesseraOutbox = worker;
  worker.start();
  logger.info(
    { destinations: describeDestinations(destinations) },
    "security event delivery started",
  );
}

/** Nudges this process's loop after an event was enqueued (no-op when none runs here). */
export function wakeSecurityOutbox(): void {
  holder.tesseraOutbox?.wake();
}
