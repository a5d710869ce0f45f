// Databases of a test file's own, for exact counts or an empty schema, on the test database's
// server. A PGlite socket server (`npm test`'s embedded fallback) serves one database whatever the
// name, so it cannot give them: such tests are skipped there (onEmbeddedServer); CI and any run
// with TEST_DATABASE_URL on a real server runs them.
import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/lib/db";
import { createPrismaClient } from "@/prisma/client";
import { applyMigrations } from "@/scripts/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "@/scripts/lib/test-database";
import { testDatabaseUrl } from "@/tests/support/db";

/** True on the embedded fallback, where no scratch database can be created. */
export const onEmbeddedServer = process.env.TESSERA_TEST_DB_KIND === "embedded";

/** An empty database on the test server (no migrations); call `drop()` when done. */
export function createScratchDatabase(): Promise<FreshDatabase> {
  const server = new URL(testDatabaseUrl());
  server.pathname = "/postgres";
  return createFreshDatabase(server.toString());
}

/**
 * A migrated scratch database for the whole file: created in beforeAll, dropped in afterAll (not
 * on the embedded server: skip the file's tests there). Read `url` and `db` inside the tests.
 */
export function scratchDatabaseForFile(): { readonly url: string; readonly db: Db } {
  let fresh: FreshDatabase | undefined;
  let client: Db | undefined;
  beforeAll(async () => {
    if (onEmbeddedServer) return;
    fresh = await createScratchDatabase();
    await applyMigrations(fresh.url, { log: () => {} });
    client = createPrismaClient(fresh.url);
  }, 60_000);
  afterAll(async () => {
    await client?.$disconnect();
    await fresh?.drop();
  });
  return {
    get url() {
      if (!fresh) throw new Error("The scratch database exists from beforeAll on.");
      return fresh.url;
    },
    get db() {
      if (!client) throw new Error("The scratch database exists from beforeAll on.");
      return client;
    },
  };
}
