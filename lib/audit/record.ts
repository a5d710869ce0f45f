// Writing and verifying the hash-chained audit trail (docs/decisions/004-audit-hash-chain.md).
//
// No `import "server-only"` here on purpose: the seed and `npm run user:create` run under tsx,
// where that marker throws. This module never reads the environment or opens a connection
// itself: every function takes the Prisma client (or transaction) it must use.
import type { Db, Tx } from "@/lib/db";
import type { AuditEvent, Prisma } from "@/lib/generated/prisma/client";
import type { AuditOutcome, Role } from "@/lib/generated/prisma/enums";
import {
  GENESIS_HASH,
  computeAuditHash,
  type AuditHashFields,
  type JsonValue,
} from "@/lib/audit/hash";
import { prepareAuditJson, storableText } from "@/lib/audit/redact";

export type AuditActor = { id: string; role: Role; email: string };
export type AuditContext = {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
};

export type AuditInput = {
  /** Who did it; null or absent = the system (seed, CLI, background work). */
  actor?: AuditActor | null;
  /** Dotted verb, e.g. "auth.sign_in", "user.create", "ticket.update". */
  action: string;
  entityType: string;
  entityId?: string | null;
  outcome: AuditOutcome;
  /** Free-form JSON; secrets are redacted before storing (see redact.ts). */
  before?: unknown;
  after?: unknown;
  metadata?: unknown;
  context?: AuditContext | null;
};

export type RecordedAudit = { id: bigint; hash: string; createdAt: Date };

export type AuditChainResult =
  | { ok: true; count: number; lastId: string | null; lastHash: string }
  | { ok: false; count: number; brokenId: string; reason: "hash_mismatch" | "prev_hash_mismatch" };

/** Key of the transaction-scoped advisory lock that serializes audit inserts (any constant). */
export const AUDIT_LOCK_KEY = 7_310_431_942_001n;

// Generous caps: an over-long user agent must never make the audited change fail.
const LIMITS = {
  action: 100,
  entityType: 100,
  entityId: 200,
  email: 320,
  ip: 64,
  userAgent: 512,
  requestId: 128,
};

function text(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return storableText(value).slice(0, max);
}

function toInputJson(value: JsonValue | null): Prisma.InputJsonValue | undefined {
  return value === null ? undefined : (value as Prisma.InputJsonValue);
}

/**
 * Appends one event to the chain. Call it INSIDE the transaction that makes the change it
 * describes, so both commit or neither does. The advisory lock is held until that transaction
 * ends, so keep slow work (bcrypt, network) before it.
 *
 * Requires READ COMMITTED (PostgreSQL's and Prisma's default): under REPEATABLE READ or
 * SERIALIZABLE the transaction's snapshot may predate the last committed event, which would
 * fork the chain, so such transactions are refused rather than silently corrupting it.
 */
export async function recordAudit(tx: Tx, event: AuditInput): Promise<RecordedAudit> {
  const prepared = prepareEvent(event);
  const head = await lockChainHead(tx);
  const fields: AuditHashFields = {
    ...prepared,
    prevHash: head.last ?? GENESIS_HASH,
    createdAt: head.now,
  };
  const hash = computeAuditHash(fields);
  const row = await tx.auditEvent.create({
    data: {
      ...prepared,
      prevHash: fields.prevHash,
      createdAt: fields.createdAt,
      before: toInputJson(fields.before),
      after: toInputJson(fields.after),
      metadata: toInputJson(fields.metadata),
      hash,
    },
    select: { id: true },
  });
  return { id: row.id, hash, createdAt: fields.createdAt };
}

/** Waits for the chain's lock, then reads its head (last hash) and the database time. */
async function lockChainHead(tx: Tx): Promise<{ now: Date; last: string | null }> {
  // Statement 1 waits for the lock; statement 2 then takes a fresh READ COMMITTED snapshot that
  // sees the event committed by the previous lock holder. They must stay separate statements.
  const [lock] = await tx.$queryRaw<{ isolation: string }[]>`
    SELECT current_setting('transaction_isolation') AS isolation,
           pg_advisory_xact_lock(${AUDIT_LOCK_KEY})::text AS locked`;
  if (lock?.isolation !== "read committed") {
    throw new Error(
      `recordAudit needs a READ COMMITTED transaction (got ${lock?.isolation ?? "unknown"})`,
    );
  }
  const [head] = await tx.$queryRaw<{ now: Date; last: string | null }[]>`
    SELECT date_trunc('milliseconds', clock_timestamp()) AS now,
           (SELECT hash FROM "AuditEvent" ORDER BY id DESC LIMIT 1) AS last`;
  if (!head) throw new Error("recordAudit: could not read the chain head");
  return head;
}

function prepareEvent(event: AuditInput) {
  if (!event.action || !event.entityType)
    throw new TypeError("recordAudit: action and entityType are required");
  return {
    actorId: event.actor?.id ?? null,
    actorRole: event.actor?.role ?? null,
    actorEmail: text(event.actor?.email, LIMITS.email),
    action: text(event.action, LIMITS.action)!,
    entityType: text(event.entityType, LIMITS.entityType)!,
    entityId: text(event.entityId, LIMITS.entityId),
    outcome: event.outcome,
    before: prepareAuditJson(event.before),
    after: prepareAuditJson(event.after),
    metadata: prepareAuditJson(event.metadata),
    ip: text(event.context?.ip, LIMITS.ip),
    userAgent: text(event.context?.userAgent, LIMITS.userAgent),
    requestId: text(event.context?.requestId, LIMITS.requestId),
  };
}

/**
 * Appends several events, in the given order, under one lock and in one INSERT: the chain links
 * them one after the other and they share one database timestamp (they are written at the same
 * instant). For bulk writers such as the demo seed's hundreds of events; the rules of
 * recordAudit apply (inside the transaction of the change, READ COMMITTED).
 */
export async function recordAuditBatch(
  tx: Tx,
  events: readonly AuditInput[],
): Promise<RecordedAudit[]> {
  if (events.length === 0) return [];
  const prepared = events.map(prepareEvent);
  const head = await lockChainHead(tx);

  let prevHash = head.last ?? GENESIS_HASH;
  const rows = prepared.map((fields) => {
    const chained: AuditHashFields = { ...fields, prevHash, createdAt: head.now };
    const hash = computeAuditHash(chained);
    prevHash = hash;
    return {
      ...fields,
      prevHash: chained.prevHash,
      createdAt: head.now,
      before: toInputJson(chained.before),
      after: toInputJson(chained.after),
      metadata: toInputJson(chained.metadata),
      hash,
    };
  });
  // One multi-row INSERT: the id sequence is drawn in row order, so ids follow the chain.
  const written = await tx.auditEvent.createManyAndReturn({
    data: rows,
    select: { id: true, hash: true },
  });
  const idOf = new Map(written.map((row) => [row.hash, row.id]));
  return rows.map((row) => ({ id: idOf.get(row.hash)!, hash: row.hash, createdAt: head.now }));
}

/**
 * For events that accompany no other write (refused access, failed sign-in): its own short
 * READ COMMITTED transaction.
 */
export async function recordAuditStandalone(db: Db, event: AuditInput): Promise<RecordedAudit> {
  return db.$transaction((tx) => recordAudit(tx, event), { isolationLevel: "ReadCommitted" });
}

/**
 * Walks the whole chain in id order, `batchSize` rows at a time (keyset pagination, constant
 * memory), recomputing every hash. Returns the first broken row, if any: a row whose content
 * no longer matches its hash, or whose prevHash is not the previous row's hash (a row removed
 * or inserted). Events appended while it runs may be included.
 */
export async function verifyAuditChain(
  db: Pick<Tx, "auditEvent">,
  options: { batchSize?: number } = {},
): Promise<AuditChainResult> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000));
  let previous = GENESIS_HASH;
  let lastId: bigint | null = null;
  let count = 0;
  for (;;) {
    const rows: AuditEvent[] = await db.auditEvent.findMany({
      where: lastId === null ? undefined : { id: { gt: lastId } },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      if (row.prevHash !== previous) {
        return { ok: false, count, brokenId: row.id.toString(), reason: "prev_hash_mismatch" };
      }
      const expected = computeAuditHash({
        ...row,
        before: row.before as JsonValue | null,
        after: row.after as JsonValue | null,
        metadata: row.metadata as JsonValue | null,
      });
      if (expected !== row.hash)
        return { ok: false, count, brokenId: row.id.toString(), reason: "hash_mismatch" };
      previous = row.hash;
      lastId = row.id;
      count += 1;
    }
    if (rows.length < batchSize) break;
  }
  return {
    ok: true,
    count,
    lastId: lastId === null ? null : lastId.toString(),
    lastHash: previous,
  };
}
