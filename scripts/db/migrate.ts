// Applies pending migrations (the equivalent of `prisma migrate deploy`) with the Wasm schema
// engine. Records Prisma's standard `_prisma_migrations` table, so the history stays readable
// by the Prisma CLI wherever the native engine is available.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { MigrationAdapterFactory, describeTarget, parsePgUrl } from "./adapter";
import type { PgTarget } from "./adapter";
import { createEngine, engineErrorMessage } from "./engine";
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  NO_FILTERS,
  readMigrationsList,
} from "./migrations-list";

export interface ApplyOptions {
  migrationsDir?: string;
  /** Only used to name the datamodel for the engine; a minimal one is used when absent. */
  schemaPath?: string;
  log?: (line: string) => void;
}

/** Refusal to apply: the history in the database needs a human first. */
export class MigrationHistoryError extends Error {
  override name = "MigrationHistoryError";
}

// Our own session-level advisory lock around diagnose + apply. The engine takes its own lock
// around apply only; a second process diagnosing while the first is mid-migration would see
// an unfinished row and take it for a failed migration. Key: any constant unlikely to clash.
const LOCK_KEY = 727_073_690_001;

async function withMigrationLock<T>(target: PgTarget, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...target });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

function schemaFor(schemaPath: string): { schemaPath: string; schemaText: string } {
  const abs = path.resolve(schemaPath);
  if (existsSync(abs)) return { schemaPath: abs, schemaText: readFileSync(abs, "utf8") };
  return { schemaPath: abs, schemaText: 'datasource db {\n  provider = "postgresql"\n}\n' };
}

/** Runs fn with an engine connected to the database (one session, no shadow allowed). */
async function withEngine<T>(
  target: PgTarget,
  opts: ApplyOptions,
  fn: (engine: Awaited<ReturnType<typeof createEngine>>) => Promise<T>,
): Promise<T> {
  const factory = new MigrationAdapterFactory(target, null);
  try {
    const engine = await createEngine({
      ...schemaFor(opts.schemaPath ?? DEFAULT_SCHEMA_PATH),
      factory,
      log: opts.log,
    });
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await factory.close();
  }
}

/**
 * Applies every migration of `migrationsDir` not yet applied to `databaseUrl`, in name order.
 * Refuses (MigrationHistoryError) when the database records a failed migration or a migration
 * whose migration.sql changed since it was applied. Each migration runs as one transaction.
 * Safe to run concurrently from several processes: they serialize on an advisory lock.
 */
export async function applyMigrations(
  databaseUrl: string,
  opts: ApplyOptions = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? console.log;
  const target = parsePgUrl(databaseUrl);
  const migrationsList = readMigrationsList(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR, true);
  if (migrationsList.migrationDirectories.length === 0) {
    log(`No migrations in ${migrationsList.baseDir}.`);
    return { applied: [] };
  }
  return withMigrationLock(target, () =>
    withEngine(target, opts, async (engine) => {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: NO_FILTERS,
      });
      if (diagnosis.failedMigrationNames.length > 0) {
        const names = diagnosis.failedMigrationNames.join(", ");
        throw new MigrationHistoryError(
          `Refusing to migrate ${describeTarget(target)}: migration(s) ${names} failed earlier. ` +
            "A failed migration left nothing behind (each runs as one transaction). Fix its " +
            "migration.sql, then run `npm run db:migrate -- --mark-rolled-back <name>` and migrate again.",
        );
      }
      if (diagnosis.editedMigrationNames.length > 0) {
        const names = diagnosis.editedMigrationNames.join(", ");
        throw new MigrationHistoryError(
          `Refusing to migrate ${describeTarget(target)}: migration(s) ${names} were edited after ` +
            "being applied (checksum mismatch). Restore the original migration.sql and put the " +
            "change in a new migration (`npm run db:migration:create -- <name>`).",
        );
      }
      const history = diagnosis.history;
      if (history && history.diagnostic !== "databaseIsBehind") {
        const missing = history.unpersistedMigrationNames.join(", ");
        log(
          `Warning: the database has migration(s) missing from ${migrationsList.baseDir}: ${missing}`,
        );
      }
      let applied: string[];
      try {
        const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
        applied = result.appliedMigrationNames;
      } catch (error) {
        throw new Error(
          `Applying migrations to ${describeTarget(target)} failed: ${engineErrorMessage(error)}\n` +
            "The failing migration was rolled back as a whole; earlier ones in this run stay applied.",
        );
      }
      if (applied.length === 0) log(`${describeTarget(target)} is up to date.`);
      for (const name of applied) log(`Applied ${name}`);
      return { applied };
    }),
  );
}

/** Marks a failed migration as rolled back so it can be retried after fixing it. */
export async function markRolledBack(
  databaseUrl: string,
  migrationName: string,
  opts: ApplyOptions = {},
): Promise<void> {
  const target = parsePgUrl(databaseUrl);
  await withMigrationLock(target, () =>
    withEngine(target, opts, async (engine) => {
      try {
        await engine.markMigrationRolledBack({ migrationName });
      } catch (error) {
        throw new MigrationHistoryError(engineErrorMessage(error));
      }
    }),
  );
  (opts.log ?? console.log)(`Marked ${migrationName} as rolled back.`);
}
