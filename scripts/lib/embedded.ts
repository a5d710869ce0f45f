import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import {
  exited,
  prefixStderr,
  repoRoot,
  stopChild,
  tsxArgs,
  waitForLine,
  type ExitInfo,
} from "./proc";

export const READY_PREFIX = "TESSERA_EMBEDDED_READY";

// The socket server accepts any user/password; "postgres" mirrors a stock server so the URL
// also works with psql. The database name is ignored by the server (always `postgres`).
export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
}

export type EmbeddedDb = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves when the process exits, for whatever reason. */
  exit: Promise<ExitInfo>;
  /** SIGTERM and wait (PGlite then closes cleanly); SIGKILL after 20 s. */
  stop(): Promise<ExitInfo>;
};

/** Spawns scripts/embedded-pg.ts and waits for its ready line. `port: 0` lets the OS pick. */
export async function startEmbeddedPostgres(opts: {
  pgDir: string;
  port: number;
  timeoutMs?: number;
  /** Cut off a client idle inside a transaction after this long (embedded-pg's default: 30 s). */
  idleInTransactionMs?: number;
}): Promise<EmbeddedDb> {
  const [cmd, args] = tsxArgs(join(repoRoot, "scripts/embedded-pg.ts"), [
    "--data-dir",
    opts.pgDir,
    "--port",
    String(opts.port),
    "--stop-when-stdin-closes",
    ...(opts.idleInTransactionMs === undefined
      ? []
      : ["--idle-in-transaction-ms", String(opts.idleInTransactionMs)]),
  ]);
  // Own process group: a terminal Ctrl-C reaches only our parent, which stops the app FIRST and
  // then the database. stdin stays a pipe so the database notices if the parent dies.
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], detached: true });
  prefixStderr(child, "[db] ");
  const exit = exited(child);
  try {
    const m = await waitForLine(
      child,
      new RegExp(`^${READY_PREFIX} port=(\\d+)$`),
      opts.timeoutMs ?? 60_000,
      "[db] ",
    );
    const port = Number(m[1]);
    return { url: embeddedUrl(port), port, child, exit, stop: () => stopChild(child, 20_000) };
  } catch (err) {
    await stopChild(child, 5_000);
    throw err;
  }
}
