import "server-only";
import type { Db } from "@/lib/db";
import { RateLimitStoreError, type Counter, type RateLimitStore } from "@/lib/rate-limit/types";

// The default store: one row per key in "RateLimit", changed by single atomic upserts, so every
// app instance on the database shares the counters. Database time only (now()), never the app's
// clock, so instances with skewed clocks agree. Works on the embedded PGlite database too: every
// operation is one statement. "expiresAt" is stored to the millisecond (rounded), so a fresh
// window can read 1 ms longer than asked; hit() caps the ttl at the window.

type Row = { count: number; ttl_ms: number };

const SWEEP_EVERY = 200; // hits between deletions of long-expired rows

export function createPostgresStore(db: Db): RateLimitStore {
  let hits = 0;

  async function run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new RateLimitStoreError("postgres", error);
    }
  }

  const toCounter = (row: Row | undefined): Counter | null =>
    row ? { count: Number(row.count), ttlMs: Math.max(0, Number(row.ttl_ms)) } : null;

  return {
    kind: "postgres",

    async hit(key, points, windowMs) {
      if (++hits % SWEEP_EVERY === 0) {
        void db.$executeRaw`DELETE FROM "RateLimit" WHERE "expiresAt" < now() - interval '1 hour'`.catch(
          () => {},
        );
      }
      const rows = await run(
        () => db.$queryRaw<Row[]>`
          INSERT INTO "RateLimit" AS r ("key", "points", "expiresAt")
          VALUES (${key}, GREATEST(0, ${points}::int), now() + ${windowMs}::int * interval '1 millisecond')
          ON CONFLICT ("key") DO UPDATE SET
            "points" = CASE WHEN r."expiresAt" <= now() THEN EXCLUDED."points"
                            ELSE GREATEST(0, r."points" + ${points}::int) END,
            "expiresAt" = CASE WHEN r."expiresAt" <= now() THEN EXCLUDED."expiresAt"
                               ELSE r."expiresAt" END
          RETURNING "points" AS count,
                    LEAST(${windowMs}::int,
                          ceil(extract(epoch FROM ("expiresAt" - now())) * 1000))::int AS ttl_ms`,
      );
      return toCounter(rows[0])!;
    },

    async peek(key) {
      const rows = await run(
        () => db.$queryRaw<Row[]>`
          SELECT "points" AS count,
                 ceil(extract(epoch FROM ("expiresAt" - now())) * 1000)::int AS ttl_ms
          FROM "RateLimit" WHERE "key" = ${key} AND "expiresAt" > now()`,
      );
      return toCounter(rows[0]);
    },

    async claim(key, ms) {
      // Inserts, or takes over an expired row; a live row makes the WHERE false: nothing returned.
      const rows = await run(
        () => db.$queryRaw<{ key: string }[]>`
          INSERT INTO "RateLimit" AS r ("key", "points", "expiresAt")
          VALUES (${key}, 1, now() + ${ms}::int * interval '1 millisecond')
          ON CONFLICT ("key") DO UPDATE SET "points" = 1, "expiresAt" = EXCLUDED."expiresAt"
            WHERE r."expiresAt" <= now()
          RETURNING "key"`,
      );
      return rows.length === 1;
    },

    async delete(key) {
      await run(() => db.$executeRaw`DELETE FROM "RateLimit" WHERE "key" = ${key}`);
    },
  };
}
