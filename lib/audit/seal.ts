// The sealer: gives committed audit events their place in the hash chain, off the request path
// (docs/decisions/004-audit-hash-chain.md, revised for issue 12). Script-safe (no "server-only").
//
// A request writes its event unchained (seq, prevHash, hash null) in its own transaction. The
// sealer, one at a time per installation (a transaction-scoped advisory lock), reads the chain
// head, takes the pending events it can see in id order, and sets each one's seq (head + 1, + 2,
// ...), prevHash and hash in one UPDATE. The position is given here, at sealing time, not by
// the id sequence: an event whose transaction commits late (a smaller id than events already
// sealed) is simply appended later. Nothing is ever placed before a sealed event, so the chain
// cannot fork, and an event is sealed exactly once (the trigger refuses a second UPDATE).
import type { Db } from "@/lib/db";
import { GENESIS_HASH, computeAuditHash, type JsonValue } from "@/lib/audit/hash";

/** Key of the advisory lock held by the one sealer at work (any constant). */
export const AUDIT_SEAL_LOCK_KEY = 7_310_431_942_002n;

export type ChainHead = { seq: bigint; hash: string };

/** The newest sealed event's position and hash (null: nothing sealed yet). */
export async function chainHead(db: Pick<Db, "$queryRaw">): Promise<ChainHead | null> {
  const [head] = await db.$queryRaw<ChainHead[]>`
    SELECT seq, hash FROM "AuditEvent" WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`;
  return head ?? null;
}

/** How many events wait for the sealer, and how old the oldest is (for the viewer and metrics). */
export async function pendingAuditEvents(
  db: Pick<Db, "$queryRaw">,
): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await db.$queryRaw<{ count: number; oldest: Date | null }[]>`
    SELECT count(*)::int AS count, min("createdAt") AS oldest FROM "AuditEvent" WHERE seq IS NULL`;
  return row ?? { count: 0, oldest: null };
}

/**
 * Seals pending events, `batchSize` per transaction, until none is left or `maxBatches` ran.
 * With `wait: false` (the background job) it returns at once when another sealer holds the lock;
 * with `wait: true` (verification, tests) it waits for that one and then seals what is left.
 */
export async function sealAuditEvents(
  db: Db,
  options: { batchSize?: number; maxBatches?: number; wait?: boolean } = {},
): Promise<{ sealed: number; head: ChainHead | null }> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 5_000));
  const maxBatches = options.maxBatches ?? 1_000;
  let sealed = 0;
  let head: ChainHead | null = null;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const result = await db.$transaction(
      async (tx) => {
        // Statement 1 takes the lock; statement 2 then reads the head with a fresh snapshot
        // (READ COMMITTED) that sees what the previous sealer committed.
        const [lock] = options.wait
          ? await tx.$queryRaw<{ got: boolean }[]>`
              SELECT true AS got, pg_advisory_xact_lock(${AUDIT_SEAL_LOCK_KEY})::text AS locked`
          : await tx.$queryRaw<{ got: boolean }[]>`
              SELECT pg_try_advisory_xact_lock(${AUDIT_SEAL_LOCK_KEY}) AS got`;
        if (!lock?.got) return null;
        const current = await chainHead(tx);
        const rows = await tx.auditEvent.findMany({
          where: { seq: null },
          orderBy: { id: "asc" },
          take: batchSize,
        });
        let prevHash = current?.hash ?? GENESIS_HASH;
        let seq = current?.seq ?? 0n;
        const ids: string[] = [];
        const seqs: string[] = [];
        const prevs: string[] = [];
        const hashes: string[] = [];
        for (const row of rows) {
          seq += 1n;
          const hash = computeAuditHash({
            ...row,
            prevHash,
            before: row.before as JsonValue | null,
            after: row.after as JsonValue | null,
            metadata: row.metadata as JsonValue | null,
          });
          ids.push(row.id.toString());
          seqs.push(seq.toString());
          prevs.push(prevHash);
          hashes.push(hash);
          prevHash = hash;
        }
        if (rows.length > 0) {
          await tx.$executeRaw`
            UPDATE "AuditEvent" AS a
               SET "seq" = v.seq, "prevHash" = v.prev, "hash" = v.hash
              FROM unnest(${ids}::text[]::bigint[], ${seqs}::text[]::bigint[],
                          ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev, hash)
             WHERE a.id = v.id`;
        }
        return {
          count: rows.length,
          head: rows.length > 0 ? { seq, hash: prevHash } : current,
        };
      },
      { isolationLevel: "ReadCommitted" },
    );
    if (result === null) break; // another sealer is at work
    sealed += result.count;
    head = result.head;
    if (result.count < batchSize) break;
  }
  return { sealed, head };
}
