// The diff between what the migrations folder produces and what schema.prisma describes,
// computed by the engine in scratch databases only: no main database is involved at all.
import { readFileSync } from "node:fs";
import path from "node:path";
import { MigrationAdapterFactory } from "./adapter";
import { createEngine, engineErrorMessage } from "./engine";
import { NO_FILTERS, readMigrationsList } from "./migrations-list";
import { defaultScratchSource } from "./shadow";

export interface DiffOptions {
  migrationsDir: string;
  schemaPath: string;
  /** A PostgreSQL server to create the temporary shadow database on; default: in-process PGlite. */
  shadowDatabaseUrl?: string;
  log?: (line: string) => void;
}

/** Returns the SQL that would bring the migrations up to schema.prisma, or null when none. */
export async function diffMigrationsToSchema(opts: DiffOptions): Promise<string | null> {
  const schemaPath = path.resolve(opts.schemaPath);
  const schemaText = readFileSync(schemaPath, "utf8");
  // One empty scratch database serves as the engine's shadow AND as its "main" connection
  // (the engine insists on one; a diff between migrations and a schema file never reads it),
  // so creating or checking migrations can never touch a real database.
  const scratch = await defaultScratchSource(opts.shadowDatabaseUrl)();
  let handedOut = false;
  const factory = new MigrationAdapterFactory(scratch.target, async () => {
    // A second shadow request would get a non-empty database: refuse instead.
    if (handedOut) throw new Error("The engine asked for a second shadow database.");
    handedOut = true;
    return { target: scratch.target, release: async () => {} };
  });
  try {
    const engine = await createEngine({ schemaPath, schemaText, factory, log: opts.log });
    try {
      const result = await engine.diff({
        from: { tag: "migrations", ...readMigrationsList(opts.migrationsDir, true) },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schemaText }] },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      });
      // exitCode 2 = non-empty diff (as `prisma migrate diff --exit-code`).
      if (result.exitCode === 0) return null;
      return result.stdout ?? "";
    } catch (error) {
      throw new Error(`Schema engine diff failed: ${engineErrorMessage(error)}`);
    } finally {
      engine.free();
    }
  } finally {
    await factory.close(); // pools first, then the database (trap 3)
    await scratch.release();
  }
}
