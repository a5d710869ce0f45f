import { randomBytes } from "node:crypto";
import pg from "pg";

// Throwaway databases for `npm test` on a real PostgreSQL server: every run gets its own
// `tessera_test_<random>` database, so runs never see each other's rows or a developer's data.

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** True for a PGlite socket server, which ignores database names (CREATE DATABASE is useless). */
export async function isPglite(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ v: string }>("SELECT version() AS v");
    return rows[0]?.v.includes("PGlite") ?? false;
  });
}

export type FreshDatabase = { url: string; name: string; drop(): Promise<void> };

/** Creates an empty database on the server of `serverUrl` (connecting to its database). */
export async function createFreshDatabase(serverUrl: string): Promise<FreshDatabase> {
  const name = `tessera_test_${randomBytes(6).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // FORCE (PostgreSQL 13+) ends connections a crashed test run may have left open.
    drop: () =>
      withClient(serverUrl, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
      ).then(() => {}),
  };
}
