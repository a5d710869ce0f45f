// `npm start` (production server) and `npm run dev` (`--dev`: next dev, never builds).
//
// Embedded mode (DATABASE_URL unset): starts the embedded PostgreSQL from scripts/embedded-pg.ts
// with data in $TESSERA_DATA_DIR (default ./.data), seeds the demo accounts on first run and
// keeps a generated AUTH_SECRET in <dataDir>/auth-secret and MFA_ENCRYPTION_KEY in <dataDir>/mfa-key;
// MFA for staff is optional there (TESSERA_STAFF_MFA=optional, shown by a banner) unless set.
// Server mode (DATABASE_URL set): AUTH_SECRET and MFA_ENCRYPTION_KEY are required and staff MFA
// cannot be made optional; demo data only with TESSERA_SEED_DEMO=1 (its tickets only on a desk
// without any ticket).
// Both: apply pending migrations, build if the sources are newer than .next, run `next start`.
//
// Bind address: TESSERA_HOSTNAME, else HOSTNAME when it is not simply the machine's name (most
// shells and Docker export HOSTNAME=<machine name>, which must not decide what we listen on),
// else 127.0.0.1: an instance with demo accounts and a published password must not be reachable
// from the network by accident. Set TESSERA_HOSTNAME=0.0.0.0 in a container or behind a proxy
// on another machine.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { seedDemo } from "../prisma/seed";
import { applyMigrations } from "./db/migrate";
import { buildReason, generateReason } from "./lib/build";
import { startEmbeddedPostgres, type EmbeddedDb } from "./lib/embedded";
import { isPortFree, parsePort } from "./lib/ports";
import { exited, repoRoot, run, stopChild, tsxArgs } from "./lib/proc";
import { decodeMfaKey, MFA_KEY_HELP } from "../lib/auth/mfa/key";
import { parseTrustedProxies } from "../lib/security/client-address";
import { loadOrCreateAuthSecret, loadOrCreateMfaKey } from "./lib/secret";

const DEV = process.argv.includes("--dev");
const NEXT_BIN = join(repoRoot, "node_modules/next/dist/bin/next");
const SERVER = join(repoRoot, "scripts/server.ts");

let embedded: EmbeddedDb | undefined;
let current: ChildProcess | undefined; // the build or the server, whichever runs now
let stopping = false;

function say(message: string): void {
  console.log(`[tessera] ${message}`);
}

class StartupError extends Error {}

/** Stops the app first (it may still be finishing requests), then the database. */
async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {}); // already on its way out
  stopping = true;
  if (current) await stopChild(current, 15_000);
  if (embedded) {
    const info = await embedded.stop();
    if (info.code !== 0) say(`embedded database exited with ${info.signal ?? `code ${info.code}`}`);
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    say(`${signal} received, stopping`);
    void shutdown(0);
  });
}

function bindHost(): string {
  const explicit = process.env.TESSERA_HOSTNAME;
  if (explicit) return explicit;
  const h = process.env.HOSTNAME;
  return h && h !== hostname() ? h : "127.0.0.1";
}

async function prepareEmbedded(env: NodeJS.ProcessEnv): Promise<{ seed: boolean; marker: string }> {
  const dataDir = resolve(process.env.TESSERA_DATA_DIR || ".data");
  const wanted = parsePort(process.env.TESSERA_DB_PORT, 54329, "TESSERA_DB_PORT");
  let port = wanted;
  if (wanted !== 0 && !(await isPortFree(wanted))) {
    say(`port ${wanted} is busy; the embedded database takes a free port instead`);
    port = 0;
  }
  say(`starting the embedded database (data in ${dataDir})`);
  const started = performance.now();
  try {
    embedded = await startEmbeddedPostgres({ pgDir: join(dataDir, "pg"), port });
  } catch (err) {
    // The database printed its own reason (e.g. the data folder is locked) with a [db] prefix.
    throw new StartupError(`the embedded database did not start: ${(err as Error).message}`);
  }
  say(
    `embedded database ready on port ${embedded.port} in ${Math.round(performance.now() - started)} ms`,
  );
  void embedded.exit.then((info) => {
    if (stopping) return;
    say(`the embedded database stopped unexpectedly (${info.signal ?? `code ${info.code}`})`);
    embedded = undefined;
    void shutdown(1);
  });
  env.DATABASE_URL = embedded.url;
  env.TESSERA_DEMO = "1";
  // PGlite runs one query at a time: a big pool buys nothing and holds connection slots.
  env.DATABASE_POOL_SIZE ??= "5";
  if (!env.AUTH_SECRET) env.AUTH_SECRET = loadOrCreateAuthSecret(dataDir);
  if (!env.MFA_ENCRYPTION_KEY) env.MFA_ENCRYPTION_KEY = loadOrCreateMfaKey(dataDir);
  // The demo relaxes MFA for staff (with a banner); set TESSERA_STAFF_MFA=required to try it.
  env.TESSERA_STAFF_MFA ??= "optional";
  const marker = join(dataDir, "demo-seeded");
  return { seed: !existsSync(marker), marker };
}

function prepareServerMode(env: NodeJS.ProcessEnv): { seed: boolean } {
  if (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32) {
    throw new StartupError(
      "AUTH_SECRET is required when DATABASE_URL is set (at least 32 characters; generate one " +
        "with `openssl rand -base64 48`). Share the same value across all app instances.",
    );
  }
  if (!env.MFA_ENCRYPTION_KEY || !decodeMfaKey(env.MFA_ENCRYPTION_KEY)) {
    throw new StartupError(
      `${MFA_KEY_HELP}; it is required when DATABASE_URL is set. Share the same value across ` +
        "all app instances and keep it: without it, every account must set up MFA again.",
    );
  }
  if (env.TESSERA_STAFF_MFA === "optional") {
    throw new StartupError(
      "TESSERA_STAFF_MFA=optional is only for the embedded demo: admins and technicians must " +
        "use two-factor authentication when DATABASE_URL is set.",
    );
  }
  const seed = env.TESSERA_SEED_DEMO === "1";
  if (seed) env.TESSERA_DEMO = "1";
  return { seed };
}

async function buildIfNeeded(env: NodeJS.ProcessEnv): Promise<void> {
  const genWhy = generateReason(repoRoot);
  if (genWhy) {
    say(`generating the Prisma client (${genWhy})`);
    if ((await run("npm", ["run", "db:generate"], { env })) !== 0)
      throw new StartupError("db:generate failed");
  }
  if (DEV) return;
  const why = buildReason(repoRoot);
  if (!why) return;
  // Extra instances started by the multi-process tests next to the suite's own server: they
  // serve the build that server made and must never rebuild it under its feet.
  if (env.TESSERA_SKIP_BUILD === "1") {
    if (!existsSync(join(repoRoot, ".next/BUILD_ID")))
      throw new StartupError("TESSERA_SKIP_BUILD=1 but there is no build (.next) to serve");
    say(`not building (${why}): TESSERA_SKIP_BUILD=1 serves the existing build`);
    return;
  }
  say(`building the app (${why}); this takes a minute`);
  const started = performance.now();
  current = spawn(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit", env });
  const info = await exited(current);
  current = undefined;
  if (stopping) return;
  if (info.code !== 0)
    throw new StartupError(`next build failed (${info.signal ?? `code ${info.code}`})`);
  say(`built in ${Math.round((performance.now() - started) / 1000)} s`);
}

function waitForPort(port: number, host: string, child: ChildProcess): Promise<boolean> {
  const target = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return new Promise((done) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null || stopping) return done(false);
      const socket = connect(port, target);
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => {
        socket.destroy();
        setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (!env.AUTH_URL) env.AUTH_TRUST_HOST = "true";
  const port = parsePort(process.env.PORT, 3000, "PORT");
  try {
    parseTrustedProxies(env.TRUSTED_PROXIES);
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
  const host = bindHost();
  // Fail before a minute of building, not after.
  if (!(await isPortFree(port, host === "0.0.0.0" ? "0.0.0.0" : host))) {
    throw new StartupError(`port ${port} is already in use on ${host}; set PORT to another port`);
  }

  let seed: boolean;
  let marker: string | undefined;
  if (process.env.DATABASE_URL) {
    ({ seed } = prepareServerMode(env));
  } else {
    ({ seed, marker } = await prepareEmbedded(env));
  }
  const databaseUrl = env.DATABASE_URL!;

  const { applied } = await applyMigrations(databaseUrl, { log: (line) => say(line) });
  if (applied.length > 0) say(`${applied.length} migration(s) applied`);
  if (seed) {
    const started = performance.now();
    const { created, tickets } = await seedDemo(databaseUrl);
    const took = `${Math.round(performance.now() - started)} ms`;
    if (tickets > 0) say(`demo accounts and ${tickets} demo tickets created in ${took}`);
    else say(created ? `demo accounts created in ${took}` : "demo accounts already present");
    if (marker) writeFileSync(marker, `${new Date().toISOString()}\n`);
  }

  await buildIfNeeded(env);
  if (stopping) return;

  const mode = DEV ? "dev" : "start";
  // scripts/server.ts, not `next start`: only it sees the socket (the client address, trusted
  // proxies, our own request ids); see the comment at its top.
  const [node, serverArgs] = tsxArgs(SERVER, DEV ? ["--dev"] : []);
  const server = spawn(node, serverArgs, {
    stdio: "inherit",
    env: {
      ...env,
      NODE_ENV: DEV ? "development" : "production",
      PORT: String(port),
      TESSERA_BIND_HOST: host,
    },
  });
  current = server;
  void exited(server).then((info) => {
    if (stopping) return;
    current = undefined;
    // Next exits 130/143 after its own graceful SIGINT/SIGTERM handling: a terminal Ctrl-C or a
    // supervisor signalling the whole process group. That is a requested stop, not a crash.
    const requested =
      info.code === 130 ||
      info.code === 143 ||
      info.signal === "SIGINT" ||
      info.signal === "SIGTERM";
    if (!requested) say(`next ${mode} exited unexpectedly (${info.signal ?? `code ${info.code}`})`);
    void shutdown(requested ? 0 : 1);
  });

  if (await waitForPort(port, host, server)) {
    const local = ["127.0.0.1", "localhost", "::1", "0.0.0.0", "::"].includes(host);
    say(`Tessera is running at http://${local ? "localhost" : host}:${port}`);
    if (local && host !== "127.0.0.1") say(`listening on ${host}`);
    if (env.TESSERA_DEMO === "1") {
      say(
        "demo sign-in: admin@demo.tessera, tech@demo.tessera or user@demo.tessera, password tessera-demo-password",
      );
    }
  }
}

main().catch((err: unknown) => {
  const message =
    err instanceof StartupError
      ? err.message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  console.error(`[tessera] start failed: ${message}`);
  void shutdown(1);
});
