// The SecurityOutbox table: enqueue, claim, settle. All timestamps are computed by PostgreSQL
// (LOCALTIMESTAMP, matching the columns' CURRENT_TIMESTAMP defaults), never from the app's
// clock, so instances with skewed clocks agree on what is due.
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DestinationName, OutboxRow, SecurityEventPayload } from "@/lib/outbox/types";

/** One row per destination. Pass the transaction of the change the event reports, if any. */
export async function enqueueOutbox(
  client: Pick<Tx, "securityOutbox">,
  event: SecurityEventPayload,
  destinations: readonly DestinationName[],
): Promise<number> {
  if (destinations.length === 0) return 0;
  const { count } = await client.securityOutbox.createMany({
    data: destinations.map((destination) => ({
      destination,
      eventType: event.type.slice(0, 100),
      payload: event as unknown as Prisma.InputJsonValue,
    })),
  });
  return count;
}

/**
 * Claims up to `limit` due rows for this worker. FOR UPDATE SKIP LOCKED lets several instances
 * claim at the same moment without waiting for or double-claiming each other's rows; pushing
 * nextAttemptAt forward by `leaseSeconds` keeps them claimed after this statement commits,
 * while they are being sent. A worker that dies mid-send loses the lease and the row comes back.
 */
export async function claimDue(
  client: Pick<Tx, "$queryRaw">,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  // The CTE runs once: the rows it locked are exactly the rows updated (an IN (subquery) form
  // may be re-evaluated by the planner and pick up other rows).
  const rows = await client.$queryRaw<OutboxRow[]>`
    WITH due AS (
      SELECT "id" FROM "SecurityOutbox"
       WHERE "deliveredAt" IS NULL AND "nextAttemptAt" <= LOCALTIMESTAMP
       ORDER BY "nextAttemptAt", "id"
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED)
    UPDATE "SecurityOutbox" AS o
       SET "nextAttemptAt" = LOCALTIMESTAMP + make_interval(secs => ${leaseSeconds}::float8),
           "attempts" = o."attempts" + 1
      FROM due
     WHERE o."id" = due."id"
    RETURNING o."id", o."destination", o."eventType", o."payload", o."attempts"`;
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function markDelivered(client: Pick<Tx, "$executeRaw">, id: bigint): Promise<void> {
  await client.$executeRaw`
    UPDATE "SecurityOutbox"
       SET "deliveredAt" = LOCALTIMESTAMP, "lastError" = NULL
     WHERE "id" = ${id}`;
}

export async function markFailed(
  client: Pick<Tx, "$executeRaw">,
  id: bigint,
  retryInMs: number,
  error: string,
): Promise<void> {
  await client.$executeRaw`
    UPDATE "SecurityOutbox"
       SET "nextAttemptAt" = LOCALTIMESTAMP + make_interval(secs => ${retryInMs / 1000}::float8),
           "lastError" = ${error.slice(0, 500)}
     WHERE "id" = ${id} AND "deliveredAt" IS NULL`;
}

/** Delivered rows are kept for a while (evidence of what was sent), then removed. */
export async function purgeDelivered(
  client: Pick<Tx, "$executeRaw">,
  olderThanDays: number,
): Promise<number> {
  return client.$executeRaw`
    DELETE FROM "SecurityOutbox"
     WHERE "deliveredAt" IS NOT NULL
       AND "deliveredAt" < LOCALTIMESTAMP - make_interval(days => ${olderThanDays}::int)`;
}

export type OutboxBacklog = {
  destinations: { destination: string; pending: number; failing: number }[];
  oldestAgeSeconds: number;
};

/** Undelivered rows per destination (and those whose last attempt failed), for the metrics. */
export async function outboxBacklog(client: Pick<Tx, "$queryRaw">): Promise<OutboxBacklog> {
  const rows = await client.$queryRaw<
    { destination: string; pending: number; failing: number; oldest: number }[]
  >`
    SELECT "destination", count(*)::int AS pending,
           (count(*) FILTER (WHERE "lastError" IS NOT NULL))::int AS failing,
           extract(epoch FROM LOCALTIMESTAMP - min("createdAt"))::float8 AS oldest
      FROM "SecurityOutbox"
     WHERE "deliveredAt" IS NULL
     GROUP BY "destination"
     ORDER BY "destination"`;
  return {
    destinations: rows.map(({ destination, pending, failing }) => ({
      destination,
      pending,
      failing,
    })),
    oldestAgeSeconds: Math.max(0, ...rows.map((r) => r.oldest)),
  };
}
