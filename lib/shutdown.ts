// Graceful shutdown (issue 12 §3, docs/operations.md). scripts/server.ts owns the HTTP server and
// the signal; the code Next loads (instrumentation.ts, the readiness route) is bundled, i.e. a
// separate copy of this module in the same process: the state therefore lives on globalThis.
// Script-safe (no "server-only").

type Hook = { name: string; run: () => Promise<unknown> };
type State = { shuttingDown: boolean; hooks: Hook[]; onBegin?: (() => void)[] };

const KEY = Symbol.for("tessera.shutdown");

function state(): State {
  const g = globalThis as unknown as Record<symbol, State | undefined>;
  return (g[KEY] ??= { shuttingDown: false, hooks: [] });
}

/** True once SIGTERM/SIGINT arrived: readiness answers 503 so that load balancers drain. */
export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

export function beginShutdown(): void {
  const s = state();
  if (s.shuttingDown) return;
  s.shuttingDown = true;
  for (const fn of s.onBegin ?? []) {
    try {
      fn();
    } catch {
      // A listener's failure must not stop the shutdown.
    }
  }
}

/**
 * Called at once when the shutdown begins, before the server waits for requests in flight: for
 * responses that never end by themselves (the live updates streams, lib/live), which close here
 * so the drain is not held up for its whole timeout.
 */
export function onShutdownBegin(fn: () => void): void {
  (state().onBegin ??= []).push(fn);
}

/**
 * Something to release after the last request finished (background jobs, the database pool).
 * Hooks run in reverse order of registration: register a resource before what uses it.
 */
export function onShutdown(name: string, run: () => Promise<unknown>): void {
  state().hooks.push({ name, run });
}

/** Runs every hook once, newest first; a failing or hanging hook does not stop the others. */
export async function runShutdownHooks(
  log: (line: string) => void,
  timeoutMs = 5_000,
): Promise<void> {
  const hooks = state().hooks.splice(0).reverse();
  for (const hook of hooks) {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        hook.run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      log(`shutdown: ${hook.name} stopped in ${Math.round(performance.now() - started)} ms`);
    } catch (err) {
      log(`shutdown: ${hook.name} failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
