// The embedded PostgreSQL: PGlite (PostgreSQL compiled to Wasm) with a data folder, served over
// the normal Postgres wire protocol so the app uses a plain postgres:// URL and stock PrismaPg.
// Runs as its own process (never inside Next: its workers and hot reload would open the folder
// twice). See docs/decisions/003-embedded-postgres.md.
//
//   tsx scripts/embedded-pg.ts --data-dir <dir> --port <n> [--host 127.0.0.1]
//        [--max-connections 32] [--idle-in-transaction-ms 30000] [--stop-when-stdin-closes]
//
// stdout contract: exactly one line `TESSERA_EMBEDDED_READY port=<n>` once it accepts connections
// (with --port 0 the OS picks the port and <n> is the real one). Exit 0 after SIGINT/SIGTERM.
// Every connection is user postgres, any password, and lands in database `postgres` whatever
// name the URL gives (the server ignores it). PGlite is one session: scripts/lib/pglite-server.ts
// lends it to one connection at a time, for a whole exchange or transaction.
import { mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { READY_PREFIX } from "./lib/embedded";
import { startGatedServer, type GatedServer } from "./lib/pglite-server";
import { acquirePidLock, LockHeldError } from "./lib/pid-lock";
import { parsePort } from "./lib/ports";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    port: { type: "string", default: "54329" },
    host: { type: "string", default: "127.0.0.1" },
    // Connections beyond this are refused with "too many clients"; they queue for the session.
    "max-connections": { type: "string", default: "32" },
    // A client that leaves a transaction open this long is cut off (it blocks everyone else).
    "idle-in-transaction-ms": { type: "string", default: "30000" },
    // Used by start.ts/test.ts: the parent holds our stdin, so EOF means the parent died (even by
    // SIGKILL) and we must not keep the data folder locked as an orphan.
    "stop-when-stdin-closes": { type: "boolean", default: false },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(`embedded-pg: ${message}`);
  process.exit(1);
}

const dataDirArg = values["data-dir"];
if (!dataDirArg) fail("--data-dir <dir> is required");
const dataDir = resolve(dataDirArg);
let port: number;
try {
  port = parsePort(values.port, 54329, "--port");
} catch (err) {
  fail((err as Error).message);
}
const maxConnections = Number(values["max-connections"]);
if (!Number.isInteger(maxConnections) || maxConnections < 2)
  fail("--max-connections must be an integer >= 2");
const idleInTransactionMs = Number(values["idle-in-transaction-ms"]);
if (!Number.isInteger(idleInTransactionMs) || idleInTransactionMs < 0)
  fail("--idle-in-transaction-ms must be an integer >= 0");

// The lock sits NEXT TO the data folder: PGlite's initdb wants the folder to itself.
mkdirSync(dirname(dataDir), { recursive: true });
let releaseLock: () => void;
try {
  releaseLock = acquirePidLock(join(dirname(dataDir), `${basename(dataDir)}.lock`), "embedded-pg");
} catch (err) {
  fail(
    err instanceof LockHeldError
      ? err.message
      : `cannot lock ${dataDir}: ${(err as Error).message}`,
  );
}
process.on("exit", () => releaseLock());

let db: PGlite | undefined;
let server: GatedServer | undefined;
let stopping: Promise<void> | undefined;

function shutdown(reason: string, code = 0): Promise<void> {
  stopping ??= (async () => {
    console.error(`embedded-pg: stopping (${reason})`);
    try {
      await server?.stop();
      // close() runs a clean PostgreSQL shutdown (checkpoint): the next start needs no recovery.
      await db?.close();
    } catch (err) {
      console.error(`embedded-pg: error while stopping: ${(err as Error).message}`);
      code = 1;
    }
    releaseLock();
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(signal));
}
if (values["stop-when-stdin-closes"]) {
  process.stdin.on("end", () => void shutdown("parent closed stdin"));
  process.stdin.on("error", () => void shutdown("parent stdin error"));
  process.stdin.resume();
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  db = new PGlite(dataDir);
  await db.waitReady;
  if (stopping) return;
  server = await startGatedServer({
    db,
    port,
    host: values.host,
    maxConnections,
    idleInTransactionMs,
    log: (message) => console.error(`embedded-pg: ${message}`),
  });
  process.stdout.write(`${READY_PREFIX} port=${server.port}\n`);
}

main().catch((err: NodeJS.ErrnoException) => {
  const why =
    err.code === "EADDRINUSE"
      ? `port ${port} on ${values.host} is already in use`
      : (err.stack ?? String(err));
  console.error(`embedded-pg: failed to start: ${why}`);
  void shutdown("start-up failure", 1);
});
