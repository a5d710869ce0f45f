import "server-only";
import { createHash } from "node:crypto";
import { lockAuditCursor, moveAuditCursor } from "@/lib/audit/cursor";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { logger } from "@/lib/logger";
import { rateLimitStore } from "@/lib/rate-limit";
import { securityEvent } from "@/lib/security/events";
import type { Severity } from "@/lib/outbox/types";

// Anomaly detection over the audit stream (issue 10 §6, ADR 010 addendum). The security outbox
// loop (lib/outbox/worker.ts, jobs from lib/security/jobs.ts) runs evaluateAnomalies right after
// events are sealed (lib/audit/seal.ts): it reads the sealed rows past its cursor and applies the rules. Ticket
// reads are not audited, so that rule counts them as they happen (noteTicketRead).
//
// Each hit goes through raiseAnomaly: ONE SecurityAnomaly row per rule, key and window (a flood
// only increments its count), and only the row's first hit sends a `security.anomaly` event to
// the SIEM/Slack outbox. Admins see and acknowledge them on /admin/security.

export const ANOMALY_RULES = {
  new_device: "Staff sign-in from a device or network never seen for the account",
  password_spraying: "Sign-in failures over many accounts from one address",
  mass_ticket_reads: "One account reading an unusual number of tickets",
  mass_ticket_changes: "Mass bulk changes or deletions of tickets",
  audit_export: "Audit trail exported",
  privilege_change: "MFA reset, or a role changed to admin",
} as const;
export type AnomalyRule = keyof typeof ANOMALY_RULES;

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer (got "${raw}")`);
  }
  return value;
}

/** Thresholds, from the environment, with defaults (docs/operations.md lists them). */
export function anomalyConfig(env: Env = process.env) {
  return {
    /** The counting window of the threshold rules, and the window an alert is de-duplicated in. */
    windowSeconds: int(env, "TESSERA_ANOMALY_WINDOW_SECONDS", 15 * 60),
    /** Distinct accounts failing to sign in from one ip within the window. */
    sprayAccounts: int(env, "TESSERA_ANOMALY_SPRAY_ACCOUNTS", 10),
    /** Distinct tickets one account opens within the window. */
    ticketReads: int(env, "TESSERA_ANOMALY_TICKET_READS", 100),
    /** Ticket deletions and bulk changes (per ticket) by one account within the window. */
    ticketChanges: int(env, "TESSERA_ANOMALY_TICKET_CHANGES", 50),
    /** Audit rows read per evaluation round. */
    batchSize: int(env, "TESSERA_ANOMALY_BATCH", 1000),
  };
}
export type AnomalyConfig = ReturnType<typeof anomalyConfig>;

const SEVERITY: Record<AnomalyRule, Severity> = {
  new_device: "warning",
  password_spraying: "alert",
  mass_ticket_reads: "warning",
  mass_ticket_changes: "warning",
  audit_export: "notice",
  privilege_change: "warning",
};

export type AnomalyHit = {
  rule: AnomalyRule;
  /** What the rule de-duplicates on within a window (an account, an ip). */
  key: string;
  summary: string;
  details: Record<string, unknown>;
  userId?: string | null;
  auditEventId?: bigint | null;
  /** Tell the account owner too (an in-app notice; email does not exist yet). */
  notifyOwner?: string;
};

/**
 * Records one hit. The first hit of (rule, key, window) inserts the row, queues the
 * `security.anomaly` event and the owner's notice in the same transaction; later hits only count.
 * Returns whether this hit raised a new anomaly.
 */
export async function raiseAnomaly(
  tx: Tx,
  hit: AnomalyHit,
  config: AnomalyConfig = anomalyConfig(),
): Promise<boolean> {
  const w = config.windowSeconds;
  const [row] = await tx.$queryRaw<{ id: bigint; inserted: boolean }[]>`
    INSERT INTO "SecurityAnomaly" AS a
      ("rule", "key", "windowStart", "severity", "summary", "details", "userId", "auditEventId")
    VALUES (${hit.rule}, ${hit.key.slice(0, 300)},
            to_timestamp(floor(extract(epoch FROM now()) / ${w}::int) * ${w}::int),
            ${SEVERITY[hit.rule]}, ${hit.summary.slice(0, 500)},
            ${JSON.stringify(hit.details)}::jsonb, ${hit.userId ?? null}, ${hit.auditEventId ?? null})
    ON CONFLICT ("rule", "key", "windowStart")
      DO UPDATE SET "count" = a."count" + 1, "lastSeenAt" = now()
    RETURNING a."id", (xmax = 0) AS inserted`;
  if (!row?.inserted) return false;
  await securityEvent(
    "security.anomaly",
    {
      anomalyId: row.id.toString(),
      rule: hit.rule,
      summary: hit.summary,
      userId: hit.userId ?? null,
      ...hit.details,
    },
    { tx, severity: SEVERITY[hit.rule] },
  );
  if (hit.notifyOwner) {
    await tx.userNotice.create({
      data: { userId: hit.userId!, kind: hit.rule, message: hit.notifyOwner.slice(0, 500) },
    });
  }
  return true;
}

type AuditRow = {
  id: bigint;
  createdAt: Date;
  actorId: string | null;
  actorRole: string | null;
  actorEmail: string | null;
  action: string;
  entityId: string | null;
  outcome: string;
  after: unknown;
  metadata: unknown;
  ip: string | null;
  userAgent: string | null;
  /** Position in the audit chain: the cursor follows it, not the id (ids commit out of order). */
  seq: bigint;
};

/** AuditCursor.lastId holds the last evaluated seq (for events before the sealer, seq = id). */
const CURSOR = "anomaly";

/** The network an address belongs to, for "never seen": IPv4 /24, IPv6 /48. */
export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(":")) {
    const [head = ""] = ip.split("::");
    const groups = head.split(":").filter(Boolean);
    while (groups.length < 3) groups.push("0");
    return `${groups.slice(0, 3).join(":")}::/48`.toLowerCase();
  }
  return ip;
}

const short = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 16);

/** A completed sign-in (not the password step of an MFA sign-in). */
function completedSignIn(row: AuditRow): boolean {
  if (row.action !== "auth.sign_in" || row.outcome !== "SUCCESS") return false;
  const meta = row.metadata as { next?: string } | null;
  return meta?.next !== "mfa";
}

async function newDeviceRule(tx: Tx, row: AuditRow): Promise<AnomalyHit | null> {
  if (!completedSignIn(row) || !row.actorId) return null;
  if (row.actorRole !== "ADMIN" && row.actorRole !== "TECHNICIAN") return null;
  const earlier = await tx.$queryRaw<{ ip: string | null; userAgent: string | null }[]>`
    SELECT DISTINCT "ip", "userAgent" FROM "AuditEvent"
     WHERE "actorId" = ${row.actorId} AND "action" = 'auth.sign_in' AND "outcome" = 'SUCCESS'
       AND "id" < ${row.id} AND coalesce("metadata"->>'next', '') <> 'mfa'
     LIMIT 5000`;
  // The first sign-in of an account is its baseline, not an anomaly.
  if (earlier.length === 0) return null;
  const network = networkOf(row.ip);
  const newDevice = !earlier.some((e) => e.userAgent === row.userAgent);
  const newNetwork = !earlier.some((e) => networkOf(e.ip) === network);
  if (!newDevice && !newNetwork) return null;
  const what =
    newDevice && newNetwork
      ? "a new device and network"
      : newDevice
        ? "a new device"
        : "a new network";
  return {
    rule: "new_device",
    key: `${row.actorId}:${short(`${row.userAgent ?? ""}|${network ?? ""}`)}`,
    summary: `${row.actorRole} ${row.actorEmail ?? row.actorId} signed in from ${what}`,
    details: { newDevice, newNetwork, ip: row.ip, network, userAgent: row.userAgent },
    userId: row.actorId,
    auditEventId: row.id,
    notifyOwner:
      `Your account signed in from ${what} at ${row.createdAt.toISOString()} ` +
      `(address ${row.ip ?? "unknown"}). If this was not you, change your password and tell IT.`,
  };
}

function exportRule(row: AuditRow): AnomalyHit | null {
  if (row.action !== "audit.export" || row.outcome !== "SUCCESS") return null;
  return {
    rule: "audit_export",
    key: row.actorId ?? "system",
    summary: `${row.actorEmail ?? "The system"} exported the audit trail`,
    details: { ip: row.ip, filters: (row.metadata as Record<string, unknown> | null) ?? null },
    userId: row.actorId,
    auditEventId: row.id,
  };
}

function privilegeRule(row: AuditRow): AnomalyHit | null {
  if (row.outcome !== "SUCCESS" || !row.entityId) return null;
  if (row.action === "user.mfa_reset") {
    return {
      rule: "privilege_change",
      key: `mfa_reset:${row.entityId}`,
      summary: `${row.actorEmail ?? "The system"} reset the MFA of user ${row.entityId}`,
      details: { change: "mfa_reset", by: row.actorId, ip: row.ip },
      userId: row.entityId,
      auditEventId: row.id,
    };
  }
  if (
    row.action === "user.role_change" &&
    (row.after as { role?: string } | null)?.role === "ADMIN"
  ) {
    return {
      rule: "privilege_change",
      key: `role_admin:${row.entityId}`,
      summary: `${row.actorEmail ?? "The system"} made user ${row.entityId} an admin`,
      details: { change: "role_to_admin", by: row.actorId, ip: row.ip },
      userId: row.entityId,
      auditEventId: row.id,
    };
  }
  return null;
}

async function sprayingRule(tx: Tx, ip: string, config: AnomalyConfig): Promise<AnomalyHit | null> {
  const [row] = await tx.$queryRaw<{ accounts: bigint; failures: bigint; last: bigint }[]>`
    SELECT count(DISTINCT coalesce("entityId", "metadata"->>'email')) AS accounts,
           count(*) AS failures, max("id") AS last
      FROM "AuditEvent"
     WHERE "ip" = ${ip} AND "action" = 'auth.sign_in' AND "outcome" = 'FAILED'
       AND "createdAt" > now() - make_interval(secs => ${config.windowSeconds}::int)`;
  const accounts = Number(row?.accounts ?? 0);
  if (accounts < config.sprayAccounts) return null;
  return {
    rule: "password_spraying",
    key: ip,
    summary: `Failed sign-ins for ${accounts} accounts from ${ip}`,
    details: { ip, accounts, failures: Number(row!.failures), windowSeconds: config.windowSeconds },
    auditEventId: row!.last,
  };
}

async function massChangeRule(
  tx: Tx,
  actorId: string,
  config: AnomalyConfig,
): Promise<AnomalyHit | null> {
  const [row] = await tx.$queryRaw<
    { changes: bigint; deletions: bigint; email: string | null; last: bigint }[]
  >`
    SELECT count(*) AS changes, count(*) FILTER (WHERE "action" = 'ticket.delete') AS deletions,
           max("actorEmail") AS email, max("id") AS last
      FROM "AuditEvent"
     WHERE "actorId" = ${actorId} AND "entityType" = 'Ticket' AND "outcome" = 'SUCCESS'
       AND ("action" = 'ticket.delete' OR "metadata"->>'bulk' = 'true')
       AND "createdAt" > now() - make_interval(secs => ${config.windowSeconds}::int)`;
  const changes = Number(row?.changes ?? 0);
  if (changes < config.ticketChanges) return null;
  return {
    rule: "mass_ticket_changes",
    key: actorId,
    summary: `${row!.email ?? actorId} changed or deleted ${changes} tickets in bulk`,
    details: { changes, deletions: Number(row!.deletions), windowSeconds: config.windowSeconds },
    userId: actorId,
    auditEventId: row!.last,
  };
}

/**
 * One round: the audit rows after the cursor (at most `batchSize`), every rule, the cursor moved
 * on, all in one transaction (the cursor row's lock keeps two instances from doing the same
 * rows). The first round on a database starts at its newest row: history is not replayed.
 * Returns how many rows were read and how many new anomalies were raised.
 */
export async function evaluateAnomalies(
  client: Db = defaultDb,
  config: AnomalyConfig = anomalyConfig(),
): Promise<{ rows: number; raised: number }> {
  return client.$transaction(
    async (tx) => {
      const lastId = await lockAuditCursor(tx, CURSOR);
      const rows = await tx.$queryRaw<AuditRow[]>`
        SELECT "id", "createdAt", "actorId", "actorRole"::text AS "actorRole", "actorEmail",
               "action", "entityId", "outcome"::text AS "outcome", "after", "metadata", "ip",
               "userAgent", "seq"
          FROM "AuditEvent" WHERE "seq" > ${lastId} ORDER BY "seq" LIMIT ${config.batchSize}`;
      if (rows.length === 0) return { rows: 0, raised: 0 };

      const hits: AnomalyHit[] = [];
      const sprayIps = new Set<string>();
      const changers = new Set<string>();
      for (const row of rows) {
        const hit = exportRule(row) ?? privilegeRule(row) ?? (await newDeviceRule(tx, row));
        if (hit) hits.push(hit);
        if (row.action === "auth.sign_in" && row.outcome === "FAILED" && row.ip)
          sprayIps.add(row.ip);
        if (
          row.actorId &&
          row.outcome === "SUCCESS" &&
          (row.action === "ticket.delete" || (row.metadata as { bulk?: boolean } | null)?.bulk)
        ) {
          changers.add(row.actorId);
        }
      }
      for (const ip of sprayIps) {
        const hit = await sprayingRule(tx, ip, config);
        if (hit) hits.push(hit);
      }
      for (const actorId of changers) {
        const hit = await massChangeRule(tx, actorId, config);
        if (hit) hits.push(hit);
      }
      let raised = 0;
      for (const hit of hits) if (await raiseAnomaly(tx, hit, config)) raised++;
      await moveAuditCursor(tx, CURSOR, rows.at(-1)!.seq);
      return { rows: rows.length, raised };
    },
    { isolationLevel: "ReadCommitted", timeout: 30_000 },
  );
}

/**
 * Ticket reads are not in the audit trail: the ticket page reports each view here. Each ticket
 * counts once per account and window (rate-limit store: Redis or PostgreSQL); reaching the
 * threshold raises `mass_ticket_reads`. Never throws and never slows the page by more than two
 * counter updates.
 */
export async function noteTicketRead(
  reader: { id: string; role: string; email: string },
  ticketId: string,
  config: AnomalyConfig = anomalyConfig(),
  client: Db = defaultDb,
): Promise<void> {
  try {
    const windowMs = config.windowSeconds * 1000;
    const bucket = Math.floor(Date.now() / windowMs);
    const store = rateLimitStore();
    if (!(await store.claim(`anomaly:read:${reader.id}:${ticketId}:${bucket}`, windowMs))) return;
    const { count } = await store.hit(`anomaly:reads:${reader.id}:${bucket}`, 1, windowMs);
    if (count < config.ticketReads) return;
    await client.$transaction(
      (tx) =>
        raiseAnomaly(
          tx,
          {
            rule: "mass_ticket_reads",
            key: reader.id,
            summary: `${reader.role} ${reader.email} opened ${count} tickets`,
            details: { tickets: count, windowSeconds: config.windowSeconds },
            userId: reader.id,
          },
          config,
        ),
      { isolationLevel: "ReadCommitted" },
    );
  } catch (err) {
    logger.error({ err, userId: reader.id }, "could not count a ticket read");
  }
}
