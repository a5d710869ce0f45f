// Claiming and settling queued mail: the same lease pattern as the security outbox
// (lib/outbox/store.ts): FOR UPDATE SKIP LOCKED, nextAttemptAt pushed forward while one worker
// sends, database time only.
import type { Tx } from "@/lib/db";

export type EmailRow = {
  id: bigint;
  toAddress: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attempts: number;
};

export async function claimDueEmails(
  client: Pick<Tx, "$queryRaw">,
  limit: number,
  leaseSeconds: number,
): Promise<EmailRow[]> {
  return client.$queryRaw<EmailRow[]>`
    WITH due AS (
      SELECT "id" FROM "EmailMessage"
       WHERE "status" = 'QUEUED' AND "nextAttemptAt" <= now()
       ORDER BY "nextAttemptAt", "id"
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED)
    UPDATE "EmailMessage" AS m
       SET "nextAttemptAt" = now() + make_interval(secs => ${leaseSeconds}::float8),
           "attempts" = m."attempts" + 1
      FROM due
     WHERE m."id" = due."id"
    RETURNING m."id", m."toAddress", m."messageId", m."subject", m."text", m."html",
              m."headers", m."attempts"`;
}

export async function markSent(client: Pick<Tx, "$executeRaw">, id: bigint): Promise<void> {
  await client.$executeRaw`
    UPDATE "EmailMessage" SET "status" = 'SENT', "sentAt" = now(), "lastError" = NULL
     WHERE "id" = ${id}`;
}

/** Tries again after `retryInMs`, or gives up (FAILED) when `retryInMs` is null. */
export async function markEmailFailed(
  client: Pick<Tx, "$executeRaw">,
  id: bigint,
  retryInMs: number | null,
  error: string,
): Promise<void> {
  if (retryInMs === null) {
    await client.$executeRaw`
      UPDATE "EmailMessage" SET "status" = 'FAILED', "lastError" = ${error.slice(0, 500)}
       WHERE "id" = ${id} AND "status" = 'QUEUED'`;
    return;
  }
  await client.$executeRaw`
    UPDATE "EmailMessage"
       SET "nextAttemptAt" = now() + make_interval(secs => ${retryInMs / 1000}::float8),
           "lastError" = ${error.slice(0, 500)}
     WHERE "id" = ${id} AND "status" = 'QUEUED'`;
}
