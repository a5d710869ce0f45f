// `npm run db:migration:create -- <name>`: writes the next migration from the diff between the
// migrations folder and schema.prisma. Equivalent of `prisma migrate dev --create-only`, minus
// the data-loss warning header: review destructive SQL (DROP, ALTER ... TYPE) by hand.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema } from "./diff";
import { LOCKFILE_CONTENT, LOCKFILE_NAME, migrationFolderName } from "./migrations-list";

export interface CreateMigrationOptions {
  name: string;
  migrationsDir: string;
  schemaPath: string;
  shadowDatabaseUrl?: string;
  log?: (line: string) => void;
  now?: Date;
}

/** Returns the created folder (absolute path), or null when the schema has no changes. */
export async function createMigration(opts: CreateMigrationOptions): Promise<string | null> {
  const log = opts.log ?? console.log;
  const folder = migrationFolderName(opts.name, opts.now);
  const sql = await diffMigrationsToSchema(opts);
  if (sql === null || sql.trim() === "") {
    log("No schema changes: schema.prisma and the migrations agree; nothing written.");
    return null;
  }
  const baseDir = path.resolve(opts.migrationsDir);
  const dir = path.join(baseDir, folder);
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
  const lockPath = path.join(baseDir, LOCKFILE_NAME);
  if (!existsSync(lockPath)) writeFileSync(lockPath, LOCKFILE_CONTENT);
  log(`Created ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}`);
  log("Review it (destructive statements are not flagged), then run `npm run db:migrate`.");
  return dir;
}
