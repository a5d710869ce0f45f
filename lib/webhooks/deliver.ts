// The webhook delivery job of the background loop (lib/security/jobs.ts, ADR 027): claims due
// deliveries with FOR UPDATE SKIP LOCKED and a lease (several instances never send one twice at
// the same time; a crash mid-send sends again after the lease: at least once, receivers
// de-duplicate on Tessera-Delivery), posts them signed, and records the answer. A failure is
// retried with exponential backoff; after WEBHOOK_MAX_ATTEMPTS the delivery is FAILED ("Send
// again" on the admin page starts a new one).
import type { Db } from "@/lib/db";
import { backoffMs, type BackoffOptions } from "@/lib/outbox/backoff";
import { openWebhookSecret } from "@/lib/webhooks/secret";
import { postWebhook, WEBHOOK_TIMEOUT_MS, type SendResult } from "@/lib/webhooks/send";
import { signatureHeader } from "@/lib/webhooks/signature";
import type { WebhookPayload } from "@/lib/webhooks/fanout";

/** About a day of tries: 30 s, 1 min, 2 min, ... capped at 4 h. */
export const WEBHOOK_BACKOFF: BackoffOptions = {
  baseMs: 30_000,
  maxMs: 4 * 3_600_000,
  jitter: 0.2,
};
export const WEBHOOK_MAX_ATTEMPTS = 10;
const LEASE_SECONDS = Math.ceil(WEBHOOK_TIMEOUT_MS / 1000) * 3 + 30;

type Claimed = {
  id: string;
  eventType: string;
  payload: WebhookPayload;
  attempts: number;
  url: string;
  secretEncrypted: string;
  allowPrivate: boolean;
};

export type DeliverOptions = {
  batchSize?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  timeoutMs?: number;
};

/** Delivered and failed deliveries are kept this long in the log, then deleted. */
export const DELIVERY_RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;
let lastPrune = 0;

/** Deletes finished deliveries older than the retention (at most once an hour per process). */
export async function pruneDeliveries(db: Pick<Db, "$executeRaw">, force = false): Promise<number> {
  if (!force && Date.now() - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = Date.now();
  return db.$executeRaw`
    DELETE FROM "WebhookDelivery"
     WHERE "status" <> 'PENDING'
       AND "createdAt" < now() - make_interval(days => ${DELIVERY_RETENTION_DAYS})`;
}

/** The exact bytes sent: the stored payload with its keys in the documented order. */
export function payloadBody(payload: WebhookPayload): string {
  const { id, type, createdAt, data } = payload;
  return JSON.stringify({ id, type, createdAt, data });
}

export async function deliverWebhooks(
  db: Pick<Db, "$queryRaw" | "$executeRaw">,
  options: DeliverOptions = {},
): Promise<{ succeeded: number; failed: number }> {
  const maxAttempts = options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS;
  // Deliveries of a disabled webhook wait (not claimed) until it is enabled again.
  const rows = await db.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d."id" FROM "WebhookDelivery" d JOIN "Webhook" w ON w."id" = d."webhookId"
       WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= now() AND w."active"
       ORDER BY d."nextAttemptAt", d."id"
       LIMIT ${options.batchSize ?? 10}
       FOR UPDATE OF d SKIP LOCKED)
    UPDATE "WebhookDelivery" AS d
       SET "nextAttemptAt" = now() + make_interval(secs => ${LEASE_SECONDS}::float8),
           "attempts" = d."attempts" + 1
      FROM due, "Webhook" w
     WHERE d."id" = due."id" AND w."id" = d."webhookId"
    RETURNING d."id", d."eventType", d."payload", d."attempts", w."url", w."secretEncrypted",
              w."allowPrivate"`;
  // In parallel: one slow receiver costs the round at most the timeout, not the batch's sum.
  const results = await Promise.all(
    rows.map(async (row) => {
      const result = await send(row, options.timeoutMs);
      await settle(db, row, result, maxAttempts, options.backoff ?? WEBHOOK_BACKOFF);
      return result.ok;
    }),
  );
  await pruneDeliveries(db);
  const succeeded = results.filter(Boolean).length;
  return { succeeded, failed: results.length - succeeded };
}

async function send(row: Claimed, timeoutMs?: number): Promise<SendResult> {
  let secret: string;
  try {
    secret = openWebhookSecret(row.secretEncrypted);
  } catch (err) {
    return {
      ok: false,
      statusCode: null,
      error: (err as Error).message,
      excerpt: null,
      durationMs: 0,
    };
  }
  const body = payloadBody(row.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  return postWebhook({
    url: row.url,
    body,
    allowPrivate: row.allowPrivate,
    timeoutMs,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Tessera-Webhooks/1",
      "Tessera-Event": row.eventType,
      "Tessera-Delivery": row.id,
      "Tessera-Timestamp": String(timestamp),
      "Tessera-Signature": signatureHeader(secret, timestamp, body),
    },
  });
}

async function settle(
  db: Pick<Db, "$executeRaw">,
  row: Claimed,
  result: SendResult,
  maxAttempts: number,
  backoff: BackoffOptions,
) {
  const excerpt = result.excerpt?.slice(0, 2048) ?? null;
  const error = result.error?.slice(0, 500) ?? null;
  if (result.ok) {
    await db.$executeRaw`
      UPDATE "WebhookDelivery"
         SET "status" = 'SUCCEEDED', "deliveredAt" = now(), "lastStatusCode" = ${result.statusCode},
             "lastError" = NULL, "responseExcerpt" = ${excerpt}, "durationMs" = ${result.durationMs}
       WHERE "id" = ${row.id} AND "status" = 'PENDING'`;
    return;
  }
  const giveUp = row.attempts >= maxAttempts;
  const retrySeconds = giveUp ? 0 : backoffMs(row.attempts, backoff) / 1000;
  await db.$executeRaw`
    UPDATE "WebhookDelivery"
       SET "status" = ${giveUp ? "FAILED" : "PENDING"}::"WebhookDeliveryStatus",
           "nextAttemptAt" = now() + make_interval(secs => ${retrySeconds}::float8),
           "lastStatusCode" = ${result.statusCode}, "lastError" = ${error},
           "responseExcerpt" = ${excerpt}, "durationMs" = ${result.durationMs}
     WHERE "id" = ${row.id} AND "status" = 'PENDING'`;
}
