import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createInterface } from "node:readline";

// Process helpers shared by start.ts and test.ts. Kept free of "server-only" imports: these run
// under tsx, outside Next.

export const repoRoot = process.cwd();

/** `node` plus a tsx loader, so a .ts script runs as ONE process (no tsx wrapper in between,
 * which would swallow or duplicate signals). */
export function tsxArgs(script: string, args: string[] = []): [string, string[]] {
  return [process.execPath, ["--import", "tsx", script, ...args]];
}

/** Run a command with inherited stdio and resolve with its exit code (signals count as failure). */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("error", (err) => {
      console.error(`Could not run ${command}: ${err.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : 15;
}

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/** Resolves once the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the child is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<ExitInfo> {
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return done;
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    console.error(`Process ${child.pid} did not stop within ${graceMs} ms; killing it.`);
    child.kill("SIGKILL");
  }, graceMs);
  const info = await done;
  clearTimeout(timer);
  return info;
}

/**
 * Reads the child's stdout line by line: resolves with the first regex match, echoes every other
 * line with `prefix`. Rejects if the child exits first or `timeoutMs` passes.
 */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
  prefix: string,
): Promise<RegExpMatchArray> {
  if (!child.stdout) throw new Error("waitForLine needs a child spawned with stdout: 'pipe'");
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    let matched = false;
    const timer = setTimeout(() => {
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${pattern}`));
    }, timeoutMs);
    lines.on("line", (line) => {
      const m = matched ? null : line.match(pattern);
      if (m) {
        matched = true;
        clearTimeout(timer);
        resolve(m);
      } else if (line.trim()) {
        process.stdout.write(`${prefix}${line}\n`);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!matched)
        reject(new Error(`Process exited (${signal ?? `code ${code}`}) before it was ready`));
    });
  });
}

/** Prefix each stderr line of a child (so interleaved output stays attributable). */
export function prefixStderr(child: ChildProcess, prefix: string): void {
  if (!child.stderr) return;
  createInterface({ input: child.stderr }).on("line", (line) =>
    process.stderr.write(`${prefix}${line}\n`),
  );
}
