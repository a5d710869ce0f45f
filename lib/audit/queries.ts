import "server-only";
import { db } from "@/lib/db";
import { auditRefKey, resolveAuditNames, type AuditNames } from "@/lib/audit/names";
import { writeAnchor } from "@/lib/audit/anchor";
import { sealAuditEvents } from "@/lib/audit/seal";
import { verifyAuditChain, type AuditChainFailure } from "@/lib/audit/verify";
import { securityEvent } from "@/lib/security/events";
import { assertCan } from "@/lib/auth/permissions";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AuditFilters } from "@/lib/audit/filters";
import type { Viewer } from "@/lib/service-context";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_BATCH = 1000;

export type AuditListRow = {
  id: bigint;
  createdAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  outcome: "SUCCESS" | "REFUSED" | "FAILED";
  ip: string | null;
  /** "api:<token id>" when a REST API token acted (lib/api); null for the web app. */
  channel: string | null;
  /** Position in the hash chain; null while the sealer has not reached it (a second or two). */
  seq: bigint | null;
};

export type AuditFullRow = AuditListRow & {
  userAgent: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  metadata: unknown;
  prevHash: string | null;
  hash: string | null;
};

const LIST_COLUMNS = Prisma.sql`id, "createdAt", "actorId", "actorEmail", "actorRole"::text AS "actorRole",
  action, "entityType", "entityId", outcome::text AS outcome, ip, channel, seq`;
const FULL_COLUMNS = Prisma.sql`${LIST_COLUMNS}, "userAgent", "requestId", before, after, metadata,
  "prevHash", hash`;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function nextDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

/**
 * The WHERE clause of a filtered view, fully parameterised. Every structured filter matches an
 * index that ends in `id`, so "newest first, 50 rows" stays an index walk at a million rows; the
 * free-text filter scans, bounded by the other filters and the page size.
 */
async function auditWhere(filters: AuditFilters, before?: bigint): Promise<Prisma.Sql> {
  const parts: Prisma.Sql[] = [];
  if (filters.actor) {
    if (filters.actor.toLowerCase() === "system") {
      parts.push(Prisma.sql`"actorId" IS NULL`);
    } else if (filters.actor.includes("@")) {
      // Emails are unique and never reused: resolve once, then use the (actorId, id) index.
      const user = await db.user.findUnique({
        where: { email: filters.actor.toLowerCase() },
        select: { id: true },
      });
      parts.push(user ? Prisma.sql`"actorId" = ${user.id}` : Prisma.sql`FALSE`);
    } else {
      parts.push(Prisma.sql`"actorId" = ${filters.actor}`);
    }
  }
  if (filters.action) {
    const actions = await valuesContaining("action", filters.action);
    parts.push(Prisma.sql`action = ANY(CAST(${actions} AS text[]))`);
  }
  if (filters.entityType) {
    const types = await valuesContaining("entityType", filters.entityType);
    parts.push(Prisma.sql`"entityType" = ANY(CAST(${types} AS text[]))`);
  }
  if (filters.entityId) parts.push(Prisma.sql`"entityId" = ${filters.entityId}`);
  if (filters.outcome) parts.push(Prisma.sql`outcome = CAST(${filters.outcome} AS "AuditOutcome")`);
  if (filters.ip) parts.push(Prisma.sql`ip = ${filters.ip}`);
  if (filters.from) parts.push(Prisma.sql`"createdAt" >= ${new Date(`${filters.from}T00:00:00Z`)}`);
  if (filters.to) parts.push(Prisma.sql`"createdAt" < ${nextDay(filters.to)}`);
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    parts.push(Prisma.sql`(
      "actorEmail" ILIKE ${pattern} OR action ILIKE ${pattern} OR "entityId" ILIKE ${pattern}
      OR ip ILIKE ${pattern} OR "userAgent" ILIKE ${pattern} OR "requestId" ILIKE ${pattern}
      OR before::text ILIKE ${pattern} OR after::text ILIKE ${pattern}
      OR metadata::text ILIKE ${pattern})`);
  }
  if (before !== undefined) parts.push(Prisma.sql`id < ${before}`);
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/**
 * The distinct values of a low-cardinality column that contain `text`, case-insensitively
 * ("ticket" finds every `ticket.*` action). A loose index scan: one probe of the column's index
 * per distinct value, fast at any table size; the page then filters with `= ANY(...)`, which uses
 * the same (column, id) index.
 */
async function valuesContaining(column: "action" | "entityType", text: string): Promise<string[]> {
  const col = Prisma.raw(`"${column}"`);
  const pattern = `%${escapeLike(text)}%`;
  const rows = await db.$queryRaw<{ v: string }[]>`
    WITH RECURSIVE d AS (
      (SELECT ${col} AS v FROM "AuditEvent" ORDER BY ${col} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${col} FROM "AuditEvent" WHERE ${col} > d.v ORDER BY ${col} LIMIT 1) FROM d
       WHERE d.v IS NOT NULL
    )
    SELECT v FROM d WHERE v ILIKE ${pattern}`;
  return rows.map((r) => r.v);
}

/**
 * Newest first, keyset-paginated by id (`before` = the last id of the previous page), with the
 * names of the page's actors and objects (one more query for the whole page).
 */
export async function listAuditEvents(
  viewer: Viewer,
  options: { before?: bigint } & AuditFilters = {},
): Promise<{ events: AuditListRow[]; nextBefore: bigint | null; names: AuditNames }> {
  assertCan(viewer, "audit:read");
  const { before, ...filters } = options;
  const rows = await db.$queryRaw<AuditListRow[]>`
    SELECT ${LIST_COLUMNS} FROM "AuditEvent" ${await auditWhere(filters, before)}
    ORDER BY id DESC LIMIT ${AUDIT_PAGE_SIZE + 1}`;
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  return {
    events,
    nextBefore: hasMore ? (events.at(-1)?.id ?? null) : null,
    names: await resolveAuditNames(events),
  };
}

/**
 * Every event matching the filters (older than `before` if given), newest first, `batch` rows per
 * query (keyset on id): constant memory however many rows match.
 */
export async function* iterateAuditEvents(
  viewer: Viewer,
  filters: AuditFilters,
  options: { before?: bigint; batch?: number } = {},
): AsyncGenerator<AuditFullRow[]> {
  assertCan(viewer, "audit:export");
  const batch = options.batch ?? AUDIT_EXPORT_BATCH;
  let before = options.before;
  for (;;) {
    const rows = await db.$queryRaw<AuditFullRow[]>`
      SELECT ${FULL_COLUMNS} FROM "AuditEvent" ${await auditWhere(filters, before)}
      ORDER BY id DESC LIMIT ${batch}`;
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    before = rows.at(-1)!.id;
  }
}

/** One event with the names of its actor and object (see lib/audit/names.ts). */
export async function getAuditEvent(viewer: Viewer, id: bigint) {
  assertCan(viewer, "audit:read");
  const [event] = await db.$queryRaw<AuditFullRow[]>`
    SELECT ${FULL_COLUMNS} FROM "AuditEvent" WHERE id = ${id}`;
  if (!event) return null;
  const names = await resolveAuditNames([event]);
  return {
    event,
    actor: event.actorId ? (names[auditRefKey("User", event.actorId)] ?? null) : null,
    object: event.entityId ? (names[auditRefKey(event.entityType, event.entityId)] ?? null) : null,
  };
}

export type IntegrityReport =
  | {
      ok: true;
      /** Events checked by this run. */
      count: number;
      /** The walk started after this position (a verified checkpoint); null: from the first. */
      fromSeq: string | null;
      lastSeq: string | null;
      /** Signed anchors (database and anchor file) compared with the chain. */
      anchorsChecked: number;
      full: boolean;
    }
  | {
      ok: false;
      count: number;
      brokenId: string;
      reason: AuditChainFailure;
      event: { id: string; createdAt: Date; action: string; actorEmail: string | null } | null;
    };

/**
 * "Verify integrity": seals what is pending (so events of the last seconds are covered), then
 * walks the chain from the last verified checkpoint (`full`: from the first event; tens of
 * seconds at a million events: on demand only) and, when intact, records the new checkpoint as a
 * signed anchor. A broken chain raises the audit.chain_broken alert.
 */
export async function verifyAuditIntegrity(
  viewer: Viewer,
  options: { full?: boolean } = {},
): Promise<IntegrityReport> {
  assertCan(viewer, "audit:read");
  await sealAuditEvents(db, { wait: true });
  const result = await verifyAuditChain(db, { from: options.full ? "start" : "checkpoint" });
  if (result.ok) {
    if (result.lastSeq !== null && result.count > 0) {
      const anchor = await writeAnchor(
        db,
        { seq: BigInt(result.lastSeq), hash: result.lastHash },
        { verified: true },
      );
      await securityEvent("audit.anchor", {
        ...anchor,
        seq: anchor.seq.toString(),
        verified: true,
      });
    }
    return {
      ok: true,
      count: result.count,
      fromSeq: result.fromSeq,
      lastSeq: result.lastSeq,
      anchorsChecked: result.anchorsChecked,
      full: options.full === true,
    };
  }
  await securityEvent(
    "audit.chain_broken",
    { brokenId: result.brokenId, reason: result.reason, checkedBy: viewer.id },
    { severity: "alert" },
  );
  const [event] = /^\d+$/.test(result.brokenId)
    ? await db.$queryRaw<AuditListRow[]>`
        SELECT ${LIST_COLUMNS} FROM "AuditEvent" WHERE id = ${BigInt(result.brokenId)}`
    : [];
  return {
    ok: false,
    count: result.count,
    brokenId: result.brokenId,
    reason: result.reason,
    event: event
      ? {
          id: event.id.toString(),
          createdAt: event.createdAt,
          action: event.action,
          actorEmail: event.actorEmail,
        }
      : null,
  };
}
