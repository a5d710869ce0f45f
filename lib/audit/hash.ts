import { createHash } from "node:crypto";

// Pure functions behind the audit hash chain: no database, no "server-only", so unit tests and
// tsx scripts can use them. See docs/decisions/004-audit-hash-chain.md.

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** prevHash of the very first event. */
export const GENESIS_HASH = "0".repeat(64);

/** Every stored field of an AuditEvent except `id` and `hash`, exactly as read back from the DB. */
export type AuditHashFields = {
  prevHash: string;
  createdAt: Date;
  actorId: string | null;
  actorRole: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  outcome: string;
  before: JsonValue | null;
  after: JsonValue | null;
  metadata: JsonValue | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** Added with the REST API: hashed only when set, so events from before keep their hashes. */
  channel?: string | null;
};

/**
 * Stable JSON: object keys sorted (by UTF-16 code units), no whitespace, `undefined` members
 * dropped. PostgreSQL's jsonb reorders keys, so the hash must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`canonicalJson: unsupported type ${typeof value}`);
}

/** sha256 (hex) over the canonical serialization of prevHash and every stored field. */
export function computeAuditHash(fields: AuditHashFields): string {
  const payload = canonicalJson({
    prevHash: fields.prevHash,
    createdAt: fields.createdAt.toISOString(),
    actorId: fields.actorId,
    actorRole: fields.actorRole,
    actorEmail: fields.actorEmail,
    action: fields.action,
    entityType: fields.entityType,
    entityId: fields.entityId,
    outcome: fields.outcome,
    before: fields.before,
    after: fields.after,
    metadata: fields.metadata,
    ip: fields.ip,
    userAgent: fields.userAgent,
    requestId: fields.requestId,
    channel: fields.channel ?? undefined,
  });
  return createHash("sha256").update(payload, "utf8").digest("hex");
}
