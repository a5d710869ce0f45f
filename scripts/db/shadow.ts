// Scratch databases for the engine's shadow (the engine replays the migrations folder into an
// empty database to learn the schema it produces). Two sources:
//  - SHADOW_DATABASE_URL set: a temporary database created on that server and dropped after
//    use. Only the server is taken from the URL; the database named in it is used solely for
//    CREATE/DROP DATABASE and is never modified.
//  - otherwise: an in-process, in-memory PGlite behind a PGLiteSocketServer on a random
//    127.0.0.1 port. Works on a fresh machine with no PostgreSQL and no DATABASE_URL. A PGlite
//    socket server ignores database names (every connection lands in "postgres"), so it gets
//    a fresh PGlite instance per scratch database instead of CREATE DATABASE (trap 5).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import type { PgTarget, ScratchDatabase, ScratchSource } from "./adapter";
import { describeTarget, parsePgUrl } from "./adapter";

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function withClient<T>(target: PgTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...target });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

// Scratch databases not yet released, so a crash handler can still drop them (an engine panic
// escapes as an uncaught exception and would otherwise leave a temporary database behind).
const live = new Set<() => Promise<void>>();

function tracked(db: ScratchDatabase): ScratchDatabase {
  const release = async () => {
    live.delete(release);
    await db.release();
  };
  live.add(release);
  return { target: db.target, release };
}

/** Best-effort release of every scratch database still open (for crash handlers). */
export async function releaseAllScratch(): Promise<void> {
  await Promise.allSettled([...live].map((release) => release()));
}

/** Temporary databases on the server of `serverUrl`. */
export function serverScratchSource(serverUrl: string): ScratchSource {
  const admin = parsePgUrl(serverUrl);
  return async () => {
    const name = `tessera_shadow_${Date.now()}_${randomBytes(4).toString("hex")}`;
    await withClient(admin, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    const target: PgTarget = { ...admin, database: name };
    const release = async () => {
      // Trap 3: our pools to it are closed by now; FORCE ends any connection the engine left.
      await withClient(admin, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    };
    // Guard against servers that ignore the database name (PGlite, some poolers): the scratch
    // database would then be the admin database, and the migrations would be replayed into it.
    const actual = await withClient(target, (c) =>
      c.query<{ db: string }>("SELECT current_database() AS db"),
    );
    if (actual.rows[0]?.db !== name) {
      await release().catch(() => {});
      throw new Error(
        `SHADOW_DATABASE_URL (${describeTarget(admin)}) ignores database names (connected to ` +
          `"${actual.rows[0]?.db}" instead of "${name}"), so it cannot host a shadow database. ` +
          "Unset SHADOW_DATABASE_URL to use the in-process shadow.",
      );
    }
    return tracked({ target, release });
  };
}

// initdb inside PGlite takes 5-15 s on these machines; loading a snapshot of a freshly
// initialised (empty) cluster takes 1-3 s. The snapshot is a cache: deleting it is harmless.
const SNAPSHOT_DIR = path.resolve("node_modules/.cache/tessera-db");

async function pgliteVersion(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(
    readFileSync(
      path.join(path.dirname(require.resolve("@electric-sql/pglite")), "../package.json"),
      "utf8",
    ),
  ) as { version: string };
  return pkg.version;
}

/** A fresh, empty in-memory PGlite (from the cached snapshot when there is one). */
export async function createInMemoryPglite(): Promise<import("@electric-sql/pglite").PGlite> {
  // Imported lazily: loading PGlite costs time and memory that applying migrations never needs.
  const { PGlite } = await import("@electric-sql/pglite");
  const snapshot = path.join(SNAPSHOT_DIR, `pglite-${await pgliteVersion()}-empty.tar`);
  if (existsSync(snapshot)) {
    try {
      const db = new PGlite({ loadDataDir: new Blob([readFileSync(snapshot)]) });
      await db.waitReady;
      return db;
    } catch {
      rmSync(snapshot, { force: true }); // corrupt or incompatible: rebuild below
    }
  }
  const db = new PGlite(); // no data folder = in memory
  await db.waitReady;
  try {
    const dump = await db.dumpDataDir("none");
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    const tmp = `${snapshot}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, snapshot); // atomic: concurrent runs never read a half-written file
  } catch {
    // A read-only checkout only loses the speed-up.
  }
  return db;
}

/** In-memory PGlite instances, each behind its own socket server on a random port. */
export function pgliteScratchSource(): ScratchSource {
  return async (): Promise<ScratchDatabase> => {
    const { startGatedServer } = await import("../lib/pglite-server");
    const db = await createInMemoryPglite();
    const server = await startGatedServer({
      db,
      host: "127.0.0.1",
      port: 0,
      maxConnections: 10,
      idleInTransactionMs: 0,
    });
    return tracked({
      target: { host: "127.0.0.1", port: server.port, user: "postgres", database: "postgres" },
      release: async () => {
        await server.stop();
        await db.close();
      },
    });
  };
}

/** The shadow source the tools use: SHADOW_DATABASE_URL when given, else in-process PGlite. */
export function defaultScratchSource(shadowDatabaseUrl?: string): ScratchSource {
  return shadowDatabaseUrl ? serverScratchSource(shadowDatabaseUrl) : pgliteScratchSource();
}
