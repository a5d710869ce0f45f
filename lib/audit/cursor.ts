// Where a background job over the sealed audit stream has got to (AuditCursor): the anomaly rules
// (lib/security/anomaly.ts) and the email notifications (lib/email/notify.ts). A job locks its
// cursor, reads the events after it, acts, and moves it, all in one transaction: the row lock
// keeps two instances from doing the same events, and a crash leaves the cursor where it was.
import type { Tx } from "@/lib/db";

/**
 * Locks the cursor `name` for this transaction and returns the last seq it has done. Created at
 * the newest event the first time: history is not replayed.
 */
export async function lockAuditCursor(tx: Pick<Tx, "$executeRaw" | "$queryRaw">, name: string) {
  await tx.$executeRaw`
    INSERT INTO "AuditCursor" ("name", "lastId")
    SELECT ${name}, coalesce(max("seq"), 0) FROM "AuditEvent"
    ON CONFLICT ("name") DO NOTHING`;
  const [cursor] = await tx.$queryRaw<{ lastId: bigint }[]>`
    SELECT "lastId" FROM "AuditCursor" WHERE "name" = ${name} FOR UPDATE`;
  return cursor!.lastId;
}

/** Moves the cursor `name` to `seq` (the last event this round did). */
export async function moveAuditCursor(
  tx: Pick<Tx, "$executeRaw">,
  name: string,
  seq: bigint,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE "AuditCursor" SET "lastId" = ${seq}, "updatedAt" = now() WHERE "name" = ${name}`;
}
