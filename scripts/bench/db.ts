// The bench database: created and migrated on demand, reused when it already holds a complete
// seed of the requested size (a bench_meta row written only after seeding finished).
import pg from "pg";
import { applyMigrations } from "../db/migrate";

export const DEFAULT_BENCH_URL = "postgresql://postgres@127.0.0.1:5432/tessera_bench";

export type SeedMeta = { tickets: number; auditEvents: number; seededAt: string; seed: unknown };

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Reads the completed-seed marker, or null when the database is missing or incomplete. */
export async function readSeedMeta(url: string): Promise<SeedMeta | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return null;
  }
  try {
    const exists = await client.query(`SELECT to_regclass('bench_meta') IS NOT NULL AS ok`);
    if (!exists.rows[0]?.ok) return null;
    const { rows } = await client.query<{ value: SeedMeta }>(
      `SELECT value FROM bench_meta WHERE key = 'seed'`,
    );
    return rows[0]?.value ?? null;
  } finally {
    await client.end();
  }
}

export async function writeSeedMeta(url: string, meta: SeedMeta): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)`);
    await client.query(
      `INSERT INTO bench_meta VALUES ('seed', $1) ON CONFLICT (key) DO UPDATE SET value = $1`,
      [JSON.stringify(meta)],
    );
  } finally {
    await client.end();
  }
}

/**
 * Drops and recreates the bench database, then applies every migration. AuditEvent refuses
 * DELETE and TRUNCATE by design, so a reseed starts from a fresh database rather than emptying it.
 */
export async function recreateDatabase(url: string, log: (line: string) => void): Promise<void> {
  const name = databaseName(url);
  if (!/^[a-z0-9_]+$/.test(name) || !name.includes("bench")) {
    throw new Error(`Refusing to drop "${name}": the bench database name must contain "bench".`);
  }
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  await applyMigrations(url, { log: (line) => log(`  ${line}`) });
}

/** Seconds until the app's audit sealer has chained every audit row (gives up after `max`). */
export async function waitSealed(db: pg.Client, max = 300): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "AuditEvent" WHERE seq IS NULL`,
    );
    const elapsed = +((performance.now() - t0) / 1000).toFixed(1);
    if (rows[0]!.n === 0 || elapsed > max) return elapsed;
    await new Promise((r) => setTimeout(r, 250));
  }
}
