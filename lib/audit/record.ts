// Writing audit events (docs/decisions/004-audit-hash-chain.md). The sealer (seal.ts) chains
// them after commit; verify.ts checks the chain.
//
// No `import "server-only"` here on purpose: the seed and `npm run user:create` run under tsx,
// where that marker throws. This module never reads the environment or opens a connection
// itself: every function takes the Prisma client (or transaction) it must use.
import type { Db, Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditOutcome, Role } from "@/lib/generated/prisma/enums";
import type { JsonValue } from "@/lib/audit/hash";
import { prepareAuditJson, storableText } from "@/lib/audit/redact";

export type AuditActor = { id: string; role: Role; email: string };
export type AuditContext = {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /** How the actor came in when not the web app: "api:<token id>" (the REST API). */
  channel?: string | null;
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

export type RecordedAudit = { id: bigint; createdAt: Date };

// Generous caps: an over-long user agent must never make the audited change fail.
const LIMITS = {
  action: 100,
  entityType: 100,
  entityId: 200,
  email: 320,
  ip: 64,
  userAgent: 512,
  requestId: 128,
  channel: 100,
};

function text(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return storableText(value).slice(0, max);
}

function toInputJson(value: JsonValue | null): Prisma.InputJsonValue | undefined {
  return value === null ? undefined : (value as Prisma.InputJsonValue);
}

/**
 * Writes one event. Call it INSIDE the transaction that makes the change it describes, so both
 * commit or neither does. The row is written unchained (no lock, no hash: one INSERT); the sealer
 * (lib/audit/seal.ts) gives it its place in the hash chain within seconds of the commit.
 * createdAt is database time (the column's default).
 */
export async function recordAudit(tx: Tx, event: AuditInput): Promise<RecordedAudit> {
  const prepared = prepareEvent(event);
  return tx.auditEvent.create({
    data: {
      ...prepared,
      before: toInputJson(prepared.before),
      after: toInputJson(prepared.after),
      metadata: toInputJson(prepared.metadata),
    },
    select: { id: true, createdAt: true },
  });
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
    channel: text(event.context?.channel, LIMITS.channel),
  };
}

/**
 * Writes several events in one INSERT, in the given order (ids follow it, and the sealer chains
 * pending events in id order). For bulk writers such as the demo seed's hundreds of events; the
 * rules of recordAudit apply.
 */
export async function recordAuditBatch(
  tx: Tx,
  events: readonly AuditInput[],
): Promise<RecordedAudit[]> {
  if (events.length === 0) return [];
  const rows = events.map(prepareEvent).map((fields) => ({
    ...fields,
    before: toInputJson(fields.before),
    after: toInputJson(fields.after),
    metadata: toInputJson(fields.metadata),
  }));
  const written = await tx.auditEvent.createManyAndReturn({
    data: rows,
    select: { id: true, createdAt: true },
  });
  return written.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * For events that accompany no other write (refused access, failed sign-in): its own short
 * READ COMMITTED transaction.
 */
export async function recordAuditStandalone(db: Db, event: AuditInput): Promise<RecordedAudit> {
  return db.$transaction((tx) => recordAudit(tx, event), { isolationLevel: "ReadCommitted" });
}
