import "server-only";
import { recordAudit, type AuditInput } from "@/lib/audit";
import { db, type Db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { securityEvent, type SecurityEventType } from "@/lib/security/events";

// Refusals (a refused action, a throttled or CAPTCHA-gated sign-in, a probe of a hidden ticket)
// are what an attacker can produce in a loop, and each used to write an audit row (under the
// global audit lock) and an alert, forever. Now they are aggregated per source and fixed window:
//   - the first refusal of a key in a window is audited and alerted in full, as before;
//   - later ones only add 1 to a counter row (one small upsert, no audit lock, no alert);
//   - once the window has ended, the outbox loop (flushRefusalWindows) writes ONE summary audit
//     row and ONE alert with the count: "and 9,999 more like it between … and …".
// So a source adds at most 2 audit rows and 2 alerts per key and window, however fast it tries.
// ADR 004 addendum; TESSERA_REFUSAL_WINDOW_SECONDS (default 600) sets the window.

export const DEFAULT_REFUSAL_WINDOW_SECONDS = 600;

export function refusalWindowSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TESSERA_REFUSAL_WINDOW_SECONDS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_REFUSAL_WINDOW_SECONDS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 86_400) {
    throw new Error(`TESSERA_REFUSAL_WINDOW_SECONDS must be 1..86400 (got "${raw}")`);
  }
  return value;
}

export type Refusal = {
  /** Who or where it comes from and what was refused, e.g. ["signin", "rate_limited", "ip", ip]. */
  key: (string | number | null | undefined)[];
  audit: AuditInput;
  alert?: { type: SecurityEventType; fields: Record<string, unknown> };
};

type Sample = {
  audit: AuditInput;
  alert: { type: SecurityEventType; fields: Record<string, unknown> } | null;
};

function keyOf(parts: Refusal["key"]): string {
  return parts
    .map((p) => (p === null || p === undefined ? "-" : String(p)))
    .join(":")
    .slice(0, 400);
}

/**
 * Records one refusal, aggregated (see above). Returns "recorded" when this one was audited in
 * full, "counted" when it was only counted. Throws only if the database is unreachable.
 */
export async function recordRefusal(
  refusal: Refusal,
  client: Db = db,
): Promise<"recorded" | "counted"> {
  const window = refusalWindowSeconds();
  const actor = refusal.audit.actor;
  const audit = {
    ...refusal.audit,
    actor: actor ? { id: actor.id, role: actor.role, email: actor.email } : null,
  };
  const sample: Sample = { audit, alert: refusal.alert ?? null };
  const [row] = await client.$queryRaw<{ count: number }[]>`
    INSERT INTO "RefusalWindow" AS w ("key", "windowStart", "windowEnd", "count", "sample")
    SELECT ${keyOf(refusal.key)}, b.start, b.start + make_interval(secs => ${window}::int), 1,
           ${JSON.stringify(sample)}::jsonb
      FROM (SELECT to_timestamp(floor(extract(epoch FROM now()) / ${window}::int) * ${window}::int)
                   AS start) AS b
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = w."count" + 1
    RETURNING w."count"`;
  if (Number(row?.count) !== 1) return "counted";
  await client.$transaction(
    async (tx) => {
      await recordAudit(tx, audit);
      if (refusal.alert) await securityEvent(refusal.alert.type, refusal.alert.fields, { tx });
    },
    { isolationLevel: "ReadCommitted" },
  );
  return "recorded";
}

/** recordRefusal that never throws (a refusal stands even if it cannot be recorded). */
export async function recordRefusalSafely(refusal: Refusal): Promise<void> {
  await recordRefusal(refusal).catch((err: unknown) =>
    logger.error({ err, action: refusal.audit.action }, "could not record a refusal"),
  );
}

type EndedWindow = {
  key: string;
  windowStart: Date;
  windowEnd: Date;
  count: number;
  sample: Sample;
};

/**
 * Writes the summary of every ended window that counted more than its first refusal: one audit
 * row (the first refusal's actor, action, ip…, metadata.aggregated = { further, from, to }) and
 * one alert of the same type with the same counts; then forgets windows older than a day. Run
 * by the security outbox loop every round (lib/outbox/runtime.ts); safe on several instances at
 * once (FOR UPDATE SKIP LOCKED). Returns how many summaries it wrote.
 */
export async function flushRefusalWindows(client: Db = db, limit = 50): Promise<number> {
  const written = await client.$transaction(
    async (tx) => {
      const ended = await tx.$queryRaw<EndedWindow[]>`
        SELECT "key", "windowStart", "windowEnd", "count", "sample" FROM "RefusalWindow"
         WHERE "summarizedAt" IS NULL AND "windowEnd" <= now() AND "count" > 1
         ORDER BY "windowEnd"
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED`;
      for (const w of ended) {
        const aggregated = {
          further: w.count - 1,
          from: w.windowStart.toISOString(),
          to: w.windowEnd.toISOString(),
        };
        const first = w.sample.audit;
        await recordAudit(tx, {
          ...first,
          metadata: { ...(first.metadata as Record<string, unknown> | undefined), aggregated },
        });
        if (w.sample.alert) {
          await securityEvent(
            w.sample.alert.type,
            { ...w.sample.alert.fields, aggregated },
            { tx },
          );
        }
        await tx.$executeRaw`
          UPDATE "RefusalWindow" SET "summarizedAt" = now()
           WHERE "key" = ${w.key} AND "windowStart" = ${w.windowStart}`;
      }
      return ended.length;
    },
    { isolationLevel: "ReadCommitted" },
  );
  await client.$executeRaw`
    DELETE FROM "RefusalWindow" WHERE "windowEnd" < now() - interval '1 day'`;
  return written;
}

/** Ended windows waiting for their summary, and how long the oldest has waited (metrics). */
export async function pendingRefusalSummaries(
  client: Pick<Db, "$queryRaw">,
): Promise<{ count: number; oldestAgeSeconds: number }> {
  const [row] = await client.$queryRaw<{ count: number; oldestAgeSeconds: number }[]>`
    SELECT count(*)::int AS count,
           coalesce(extract(epoch FROM now() - min("windowEnd")), 0)::float8 AS "oldestAgeSeconds"
      FROM "RefusalWindow"
     WHERE "summarizedAt" IS NULL AND "windowEnd" <= now() AND "count" > 1`;
  return row ?? { count: 0, oldestAgeSeconds: 0 };
}

/** For tests and the benchmark: end the current windows of keys starting with `prefix` now. */
export async function endRefusalWindows(client: Db, prefix: string): Promise<void> {
  await client.$executeRaw`
    UPDATE "RefusalWindow" SET "windowEnd" = now() - interval '1 millisecond'
     WHERE "key" LIKE ${`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
}
