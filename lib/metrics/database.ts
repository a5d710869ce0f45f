// The gauges that need the database: work waiting for the background jobs (audit events to seal,
// security events to deliver, refusal windows to summarise). Read on scrape, within a short
// timeout, and cached a few seconds so several scrapers (or a fast one) cost one round of
// queries. They describe the installation, not this process: every instance reports the same
// values (aggregate them with max, not sum).
import { Gauge, Registry } from "prom-client";
import { pendingAuditEvents } from "@/lib/audit/seal";
import type { Db } from "@/lib/db";
import { outboxBacklog, type OutboxBacklog } from "@/lib/outbox/store";
import { pendingRefusalSummaries } from "@/lib/security/refusals";

export type DatabaseSnapshot =
  | {
      up: true;
      audit: { count: number; oldestAgeSeconds: number };
      outbox: OutboxBacklog;
      refusals: { count: number; oldestAgeSeconds: number };
    }
  | { up: false };

type Client = Pick<Db, "$queryRaw">;

const holder = globalThis as unknown as {
  tesseraMetricsDb?: { at: number; snapshot: Promise<DatabaseSnapshot> };
};

/** Reads the backlog once; `up: false` when the database does not answer within `timeoutMs`. */
export async function readDatabaseSnapshot(
  db: Client,
  timeoutMs = 5_000,
): Promise<DatabaseSnapshot> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    timer.unref();
  });
  try {
    const [audit, outbox, refusals] = await Promise.race([
      Promise.all([pendingAuditEvents(db), outboxBacklog(db), pendingRefusalSummaries(db)]),
      timeout,
    ]);
    // The audit query gives a time, not an age: measured here, never below 0 (clock skew).
    const auditAge = audit.oldest ? Math.max(0, (Date.now() - audit.oldest.getTime()) / 1000) : 0;
    return {
      up: true,
      audit: { count: audit.count, oldestAgeSeconds: auditAge },
      outbox,
      refusals,
    };
  } catch {
    return { up: false };
  } finally {
    clearTimeout(timer);
  }
}

/** The snapshot, read at most once per `maxAgeMs` per process (concurrent scrapes share one). */
export function cachedDatabaseSnapshot(
  db: Client,
  options: { maxAgeMs?: number; timeoutMs?: number } = {},
): Promise<DatabaseSnapshot> {
  const cached = holder.tesseraMetricsDb;
  if (cached && Date.now() - cached.at < (options.maxAgeMs ?? 5_000)) return cached.snapshot;
  const snapshot = readDatabaseSnapshot(db, options.timeoutMs);
  holder.tesseraMetricsDb = { at: Date.now(), snapshot };
  return snapshot;
}

/**
 * The snapshot as a registry of its own, built for one scrape: when the database did not answer,
 * only `tessera_metrics_database_up 0` is exposed (no stale or made-up values).
 */
export function databaseRegistry(snapshot: DatabaseSnapshot): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, value: number) =>
    new Gauge({ name, help, registers: [registry] }).set(value);
  gauge(
    "tessera_metrics_database_up",
    "1 when the database answered the backlog queries of this scrape (5 s timeout), else 0.",
    snapshot.up ? 1 : 0,
  );
  if (!snapshot.up) return registry;
  gauge(
    "tessera_audit_pending_events",
    "Audit events committed but not yet sealed into the hash chain.",
    snapshot.audit.count,
  );
  gauge(
    "tessera_audit_pending_oldest_age_seconds",
    "Age of the oldest audit event waiting for the sealer (0 when none).",
    snapshot.audit.oldestAgeSeconds,
  );
  const byDestination = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: ["destination"] as const, registers: [registry] });
  const pending = byDestination(
    "tessera_outbox_pending_messages",
    "Security events not yet delivered, by destination.",
  );
  const failing = byDestination(
    "tessera_outbox_failing_messages",
    "Undelivered security events whose last attempt failed, by destination.",
  );
  for (const row of snapshot.outbox.destinations) {
    pending.set({ destination: row.destination }, row.pending);
    failing.set({ destination: row.destination }, row.failing);
  }
  gauge(
    "tessera_outbox_oldest_pending_age_seconds",
    "Age of the oldest undelivered security event (0 when none).",
    snapshot.outbox.oldestAgeSeconds,
  );
  gauge(
    "tessera_refusal_summaries_pending",
    "Ended refusal windows waiting for their summary (audit row and alert).",
    snapshot.refusals.count,
  );
  gauge(
    "tessera_refusal_summaries_oldest_age_seconds",
    "Time since the oldest of those windows ended (0 when none).",
    snapshot.refusals.oldestAgeSeconds,
  );
  return registry;
}
