// Offline migration tooling (scripts/db) against a real PostgreSQL: apply, rerun, concurrency,
// atomic failure, edited history, drift, shadow isolation, and PGlite as the main database.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePgUrl } from "../../scripts/db/adapter";
import { checkSchemaAndMigrations } from "../../scripts/db/check";
import { createMigration } from "../../scripts/db/create";
import { MigrationHistoryError, applyMigrations, markRolledBack } from "../../scripts/db/migrate";
import { migrationFolderName } from "../../scripts/db/migrations-list";
import { createInMemoryPglite } from "../../scripts/db/shadow";
import { onEmbeddedServer } from "@/tests/support/scratch-db";

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const MIGRATIONS_DIR = path.resolve("prisma/migrations");
const SCHEMA_PATH = path.resolve("prisma/schema.prisma");
const ALL_MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
// These cases create scratch databases (CREATE DATABASE), which a PGlite socket server cannot
// give: it serves one database whatever the name. `npm test` on the embedded fallback skips them;
// CI and any run with TEST_DATABASE_URL on a real server runs them (onEmbeddedServer).
const quiet = { log: () => {} };

const created: string[] = [];
const tempDirs: string[] = [];

function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client(parsePgUrl(ADMIN_URL));
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function scratchDatabase(): Promise<string> {
  const name = `tessera_a_mig_${randomBytes(5).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  created.push(name);
  return urlFor(name);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(parsePgUrl(url));
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function tempCopyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-migrations-"));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function shadowDatabaseNames(): Promise<string[]> {
  const res = await adminQuery(
    "SELECT datname FROM pg_database WHERE datname LIKE 'tessera_shadow_%'",
  );
  return res.rows.map((r: { datname: string }) => r.datname);
}

beforeAll(() => {
  expect(ALL_MIGRATIONS.length).toBeGreaterThan(0);
});

afterAll(async () => {
  for (const name of created) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(onEmbeddedServer)("applyMigrations", () => {
  it("applies every migration to a fresh database, then nothing on rerun", async () => {
    const url = await scratchDatabase();
    let t = performance.now();
    const first = await applyMigrations(url, quiet);
    const freshMs = performance.now() - t;
    expect(first.applied).toEqual(ALL_MIGRATIONS);

    t = performance.now();
    const second = await applyMigrations(url, quiet);
    const rerunMs = performance.now() - t;
    expect(second.applied).toEqual([]);
    console.log(`timing: apply fresh ${Math.round(freshMs)} ms, rerun ${Math.round(rerunMs)} ms`);

    const rows = await query<{ migration_name: string; finished: boolean }>(
      url,
      `SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows).toEqual(ALL_MIGRATIONS.map((m) => ({ migration_name: m, finished: true })));
    // The hand-written SQL of the init migration ($$ body, triggers) arrived intact.
    await query(
      url,
      `INSERT INTO "AuditEvent" (action, "entityType", outcome) VALUES ('test', 'Test', 'SUCCESS')`,
    );
    await expect(query(url, `DELETE FROM "AuditEvent"`)).rejects.toThrow(
      /append-only \(DELETE refused\)/,
    );
    await expect(query(url, `TRUNCATE "AuditEvent"`)).rejects.toThrow(/TRUNCATE refused/);
    await expect(
      query(
        url,
        `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ('u', 'A@x.io', 'n', 'h', now())`,
      ),
    ).rejects.toThrow(/User_email_lowercase/);
  });

  it("serializes two concurrent runs: both succeed, each migration is applied once", async () => {
    const url = await scratchDatabase();
    const [a, b] = await Promise.all([applyMigrations(url, quiet), applyMigrations(url, quiet)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(ALL_MIGRATIONS);
    const rows = await query<{ n: string }>(url, `SELECT count(*) AS n FROM _prisma_migrations`);
    expect(Number(rows[0]?.n)).toBe(ALL_MIGRATIONS.length);
  });

  it("leaves nothing of a failing migration and refuses the failed history next time", async () => {
    const url = await scratchDatabase();
    const dir = tempCopyOfMigrations();
    const broken = path.join(dir, "29991231235959_broken");
    cpSync(path.join(dir, ALL_MIGRATIONS[0]!), broken, { recursive: true });
    writeFileSync(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "Broken" (id integer);\nINSERT INTO "Broken" VALUES (1);\nSELECT 1 / 0;\n`,
    );

    await expect(applyMigrations(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(
      /division by zero/,
    );
    const tables = await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Broken'`);
    expect(tables).toHaveLength(0);
    // The migrations before it stay applied.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'AuditEvent'`)).toHaveLength(
      1,
    );

    await expect(applyMigrations(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(
      MigrationHistoryError,
    );
    await expect(applyMigrations(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(
      /29991231235959_broken failed/,
    );

    // The documented way out: fix the SQL, mark the failed attempt rolled back, migrate again.
    writeFileSync(path.join(broken, "migration.sql"), `CREATE TABLE "Broken" (id integer);\n`);
    await markRolledBack(url, "29991231235959_broken", { ...quiet, migrationsDir: dir });
    const retry = await applyMigrations(url, { ...quiet, migrationsDir: dir });
    expect(retry.applied).toEqual(["29991231235959_broken"]);
  });

  it("refuses a migration edited after it was applied", async () => {
    const url = await scratchDatabase();
    await applyMigrations(url, quiet);
    const dir = tempCopyOfMigrations();
    const file = path.join(dir, ALL_MIGRATIONS[0]!, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- an innocent-looking edit\n`);
    await expect(applyMigrations(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(
      /were edited after being applied/,
    );
  });

  it("applies to the embedded server (PGlite, where database names are ignored)", async () => {
    const { startGatedServer } = await import("@/scripts/lib/pglite-server");
    const db = await createInMemoryPglite();
    const server = await startGatedServer({
      db,
      host: "127.0.0.1",
      port: 0,
      maxConnections: 10,
      idleInTransactionMs: 0,
    });
    try {
      const url = `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
      expect((await applyMigrations(url, quiet)).applied).toEqual(ALL_MIGRATIONS);
      expect((await applyMigrations(url, quiet)).applied).toEqual([]);
      const res = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM _prisma_migrations`,
      );
      expect(res.rows[0]?.n).toBe(ALL_MIGRATIONS.length);
      await expect(db.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await server.stop();
      await db.close();
    }
  });
});

describe("check and create", () => {
  it("reports agreement for the committed schema and migrations (in-process PGlite shadow)", async () => {
    const t = performance.now();
    const result = await checkSchemaAndMigrations({
      migrationsDir: MIGRATIONS_DIR,
      schemaPath: SCHEMA_PATH,
    });
    console.log(`timing: check with the PGlite shadow ${Math.round(performance.now() - t)} ms`);
    expect(result).toEqual({ ok: true, diff: "" });
  }, 60_000); // starts an in-memory PGlite shadow: slow on a busy machine

  it.skipIf(onEmbeddedServer)(
    "detects drift, creates the missing migration, then reports no changes",
    async () => {
      const dir = tempCopyOfMigrations();
      const schemaPath = path.join(dir, "schema.prisma");
      const schema = readFileSync(SCHEMA_PATH, "utf8").replace(
        // Column alignment changes as models grow: match the field, not its spacing.
        /^(\s*archived\s+Boolean[^\n]*\n)/m,
        "$1  colour String?\n",
      );
      expect(schema).toContain("colour");
      writeFileSync(schemaPath, schema);
      const opts = { migrationsDir: dir, schemaPath, shadowDatabaseUrl: ADMIN_URL, ...quiet };

      const t = performance.now();
      const drift = await checkSchemaAndMigrations(opts);
      console.log(`timing: check with a server shadow ${Math.round(performance.now() - t)} ms`);
      expect(drift.ok).toBe(false);
      expect(drift.diff).toMatch(/ALTER TABLE "Category" ADD COLUMN\s+"colour" TEXT/);

      const folder = await createMigration({
        ...opts,
        name: "Add colour!",
        now: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      });
      expect(folder && path.basename(folder)).toBe("20300102030405_add_colour");
      expect(readFileSync(path.join(folder!, "migration.sql"), "utf8")).toContain('"colour"');
      // Nothing left to migrate: create writes nothing (and check would pass: same diff).
      expect(await createMigration({ ...opts, name: "again" })).toBeNull();
      expect(readdirSync(dir).filter((n) => n.endsWith("_again"))).toEqual([]);
    },
  );

  it.skipIf(onEmbeddedServer)(
    "never touches the main database, even when the shadow URL names it",
    async () => {
      const url = await scratchDatabase();
      await query(url, `CREATE TABLE marker (v text); INSERT INTO marker VALUES ('untouched')`);
      const before = await shadowDatabaseNames();
      const dir = tempCopyOfMigrations();
      const schemaPath = path.join(dir, "schema.prisma");
      writeFileSync(
        schemaPath,
        readFileSync(SCHEMA_PATH, "utf8").replace(
          /^(\s*image\s+String\?[^\n]*\n)/m,
          "$1  phone String?\n",
        ),
      );

      // create runs the same engine diff as check. The URL's database is the main one: only its server may be used, in a temporary database.
      const opts = { migrationsDir: dir, schemaPath, shadowDatabaseUrl: url, ...quiet };
      expect(await createMigration({ ...opts, name: "phone" })).not.toBeNull();

      const tables = await query<{ tablename: string }>(
        url,
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(tables.map((r) => r.tablename)).toEqual(["marker"]);
      expect(await query(url, `SELECT v FROM marker`)).toEqual([{ v: "untouched" }]);
      // Every temporary shadow database was dropped (pools closed first).
      const leftover = (await shadowDatabaseNames()).filter((n) => !before.includes(n));
      expect(leftover).toEqual([]);
    },
  );
});

describe("helpers", () => {
  it("names migration folders with a UTC timestamp and a slug", () => {
    expect(migrationFolderName("Add ticket table", new Date(Date.UTC(2026, 10, 27, 9, 8, 7)))).toBe(
      "20261127090807_add_ticket_table",
    );
    expect(() => migrationFolderName("!!!")).toThrow();
  });

  it("parses connection URLs into fields (the shadow is built from fields, never a string)", () => {
    expect(parsePgUrl("postgresql://u%40x:p%2Fw@db.example:6543/app?sslmode=require")).toEqual({
      host: "db.example",
      port: 6543,
      user: "u@x",
      password: "p/w",
      database: "app",
      ssl: { rejectUnauthorized: false },
    });
    expect(() => parsePgUrl("mysql://x/y")).toThrow(/postgres/);
    expect(() => parsePgUrl("postgresql://x/y?schema=other")).toThrow(/public/);
  });
});
