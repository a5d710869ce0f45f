import pg from "pg";
import { applyMigrations } from "../../scripts/db/migrate";

// Runs once before any vitest file. Integration tests write to TEST_DATABASE_URL, so refuse to
// start without one, refuse a database whose name does not say "test" (a mistyped URL must not
// wipe real data), and bring its schema up to date so `npm run test:unit` works on its own.
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "\n\nTEST_DATABASE_URL is not set. Run `npm test` (it provides a fresh database), or point " +
        "TEST_DATABASE_URL at a disposable PostgreSQL database, e.g.\n" +
        "  TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tessera_test npm run test:unit\n",
    );
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/test/i.test(name) && process.env.TESSERA_TEST_DB_DISPOSABLE !== "1") {
    throw new Error(
      `\n\nTEST_DATABASE_URL names the database "${name}": tests only run against a database whose ` +
        "name contains 'test' (they write and delete rows). Set TESSERA_TEST_DB_DISPOSABLE=1 if " +
        "this one really is disposable.\n",
    );
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    throw new Error(
      `\n\nCannot connect to TEST_DATABASE_URL (${name}): ${(err as Error).message}\n`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  await applyMigrations(url, { log: () => {} });
}
