// Verifying the audit chain (ADR 004, revised). Script-safe (no "server-only").
import type { Db } from "@/lib/db";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import { GENESIS_HASH, computeAuditHash, type JsonValue } from "@/lib/audit/hash";
import { anchorIsGenuine, databaseIdentity, readAnchorFile, type Anchor } from "@/lib/audit/anchor";

export type AuditChainFailure =
  /** The row's content no longer matches its hash: edited. */
  | "hash_mismatch"
  /** The row's prevHash is not the previous row's hash: a row removed, inserted or rewritten. */
  | "prev_hash_mismatch"
  /** A signed anchor names a different hash at its position: rows rewritten, hashes recomputed. */
  | "anchor_mismatch"
  /** A signed anchor is further along than the chain: the newest rows were deleted. */
  | "truncated";

export type AuditChainResult =
  | {
      ok: true;
      /** Events checked by this run (from the checkpoint on, when it started from one). */
      count: number;
      /** Position the walk started after (null: from the first event). */
      fromSeq: string | null;
      lastSeq: string | null;
      lastHash: string;
      /** Events not sealed yet (not covered; see sealAuditEvents). */
      pending: number;
      /** Genuine anchors compared with the chain. */
      anchorsChecked: number;
    }
  | {
      ok: false;
      count: number;
      /** The first bad row's id (or, for "truncated", the missing position). */
      brokenId: string;
      reason: AuditChainFailure;
      pending: number;
    };

export type VerifyOptions = {
  batchSize?: number;
  /** "checkpoint" (default): from the newest verified anchor on; "start": every event. */
  from?: "checkpoint" | "start";
  /** The anchor file to compare with (default: anchorFile()); null: none. */
  anchorFile?: string | null;
  secret?: string;
};

/**
 * Walks the sealed chain in seq order, `batchSize` rows at a time (keyset pagination, constant
 * memory), recomputing every hash and link. With `from: "checkpoint"` it starts at the newest
 * verified anchor instead of the first event, after checking that the row at that position still
 * has the anchored hash: any rewrite before it with recomputed hashes changes that hash. (An edit
 * of an old row that leaves its stored hash alone is found by a full walk, `from: "start"`.)
 * Genuine anchors from the database and the anchor file are compared with the rows at their
 * positions, and the newest must not be beyond the chain's end.
 */
export async function verifyAuditChain(
  db: Pick<Db, "auditEvent" | "auditAnchor" | "$queryRaw">,
  options: VerifyOptions = {},
): Promise<AuditChainResult> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000));
  const pending = await db.auditEvent.count({ where: { seq: null } });
  const database = await databaseIdentity(db);
  const anchors = await knownAnchors(db, database, options);
  const newest = anchors.reduce<Anchor | null>((a, b) => (a && a.seq >= b.seq ? a : b), null);

  let previous = GENESIS_HASH;
  let lastSeq: bigint | null = null;
  let fromSeq: bigint | null = null;
  if ((options.from ?? "checkpoint") === "checkpoint") {
    const checkpoint = await newestCheckpoint(db, database, options.secret);
    if (checkpoint) {
      const row = await db.auditEvent.findUnique({
        where: { seq: checkpoint.seq },
        select: { id: true, hash: true },
      });
      if (!row || row.hash !== checkpoint.hash) {
        return {
          ok: false,
          count: 0,
          brokenId: row ? row.id.toString() : `seq ${checkpoint.seq}`,
          reason: row ? "anchor_mismatch" : "truncated",
          pending,
        };
      }
      previous = checkpoint.hash;
      lastSeq = fromSeq = checkpoint.seq;
    }
  }
  const anchorAt = new Map(
    anchors.filter((a) => fromSeq === null || a.seq > fromSeq).map((a) => [a.seq, a]),
  );

  let count = 0;
  for (;;) {
    const rows: AuditEvent[] = await db.auditEvent.findMany({
      where: lastSeq === null ? { seq: { not: null } } : { seq: { gt: lastSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      const broken = (reason: AuditChainFailure) =>
        ({ ok: false, count, brokenId: row.id.toString(), reason, pending }) as const;
      if (row.prevHash !== previous) return broken("prev_hash_mismatch");
      const expected = computeAuditHash({
        ...row,
        prevHash: row.prevHash,
        before: row.before as JsonValue | null,
        after: row.after as JsonValue | null,
        metadata: row.metadata as JsonValue | null,
      });
      if (expected !== row.hash) return broken("hash_mismatch");
      const anchor = anchorAt.get(row.seq!);
      if (anchor && anchor.hash !== row.hash) return broken("anchor_mismatch");
      previous = row.hash;
      lastSeq = row.seq;
      count += 1;
    }
    if (rows.length < batchSize) break;
  }
  if (newest && (lastSeq === null || newest.seq > lastSeq)) {
    return { ok: false, count, brokenId: `seq ${newest.seq}`, reason: "truncated", pending };
  }
  return {
    ok: true,
    count,
    fromSeq: fromSeq === null ? null : fromSeq.toString(),
    lastSeq: lastSeq === null ? null : lastSeq.toString(),
    lastHash: previous,
    pending,
    anchorsChecked: anchors.length,
  };
}

/** Genuine anchors of the database (the newest 100) and of the anchor file. */
async function knownAnchors(
  db: Pick<Db, "auditAnchor">,
  database: string,
  options: VerifyOptions,
): Promise<Anchor[]> {
  const rows = await db.auditAnchor.findMany({ orderBy: { seq: "desc" }, take: 100 });
  const stored = rows
    .map((r) => ({ seq: r.seq, hash: r.hash, mac: r.mac, at: r.createdAt.toISOString() }))
    .filter((a) => anchorIsGenuine(database, a, options.secret));
  const file = options.anchorFile === undefined ? undefined : options.anchorFile;
  const fromFile = file === null ? [] : readAnchorFile(database, file, options.secret);
  return [...stored, ...fromFile];
}

async function newestCheckpoint(db: Pick<Db, "auditAnchor">, database: string, secret?: string) {
  const rows = await db.auditAnchor.findMany({
    where: { verified: true },
    orderBy: { seq: "desc" },
    take: 10,
  });
  return rows.find((r) => anchorIsGenuine(database, r, secret)) ?? null;
}
