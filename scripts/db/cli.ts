// Entry point of the db:* npm scripts. Usage:
//   tsx scripts/db/cli.ts migrate [--mark-rolled-back <name>]   (needs DATABASE_URL)
//   tsx scripts/db/cli.ts create <name>                          (no database needed)
//   tsx scripts/db/cli.ts check                                  (no database needed)
// Options for all: --migrations-dir <dir> --schema <path>. SHADOW_DATABASE_URL (optional) names a
// PostgreSQL server on which create/check make a temporary shadow database; default: PGlite.
import { parseArgs } from "node:util";
import { checkSchemaAndMigrations } from "./check";
import { createMigration } from "./create";
import { applyMigrations, markRolledBack } from "./migrate";
import { lastEnginePanic } from "./engine";
import { releaseAllScratch } from "./shadow";
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from "./migrations-list";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "migrations-dir": { type: "string", default: DEFAULT_MIGRATIONS_DIR },
      schema: { type: "string", default: DEFAULT_SCHEMA_PATH },
      "mark-rolled-back": { type: "string" },
    },
  });
  const [command, ...rest] = positionals;
  const migrationsDir = values["migrations-dir"];
  const schemaPath = values.schema;
  const shadowDatabaseUrl = process.env.SHADOW_DATABASE_URL || undefined;

  switch (command) {
    case "migrate": {
      const url = process.env.DATABASE_URL;
      if (!url) {
        console.error("DATABASE_URL is not set.");
        return 1;
      }
      const started = performance.now();
      if (values["mark-rolled-back"]) {
        await markRolledBack(url, values["mark-rolled-back"], { migrationsDir, schemaPath });
        return 0;
      }
      const { applied } = await applyMigrations(url, { migrationsDir, schemaPath });
      console.log(
        `${applied.length} migration(s) applied in ${Math.round(performance.now() - started)} ms.`,
      );
      return 0;
    }
    case "create": {
      const name = rest[0];
      if (!name) {
        console.error("Usage: npm run db:migration:create -- <name>");
        return 1;
      }
      await createMigration({ name, migrationsDir, schemaPath, shadowDatabaseUrl });
      return 0;
    }
    case "check": {
      const result = await checkSchemaAndMigrations({
        migrationsDir,
        schemaPath,
        shadowDatabaseUrl,
      });
      if (result.ok) {
        console.log("schema and migrations agree");
        return 0;
      }
      console.error(
        "Drift: schema.prisma and prisma/migrations disagree. A new migration would contain:\n",
      );
      console.error(result.diff);
      console.error("Run `npm run db:migration:create -- <name>` and commit the migration.");
      return 2;
    }
    default:
      console.error("Usage: tsx scripts/db/cli.ts <migrate|create|check> [...]");
      return 1;
  }
}

// A panic inside the Wasm engine escapes every await as an uncaught RuntimeError: report the
// panic message instead of an opaque "unreachable" stack.
process.on("uncaughtException", (error) => {
  const panic = lastEnginePanic();
  console.error(panic ? `Schema engine panicked: ${panic}` : error);
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000));
  void Promise.race([releaseAllScratch(), timeout]).finally(() => process.exit(1));
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
