import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

// A pid file that stops two embedded servers from opening the same data folder (PGlite would
// corrupt it: it has no cross-process locking of its own). Stale files left by `kill -9` are
// detected by checking whether the recorded pid is still an embedded-pg process.

export class LockHeldError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `Another embedded database (pid ${pid}) is already using this data folder ` +
        `(lock file ${lockFile}). Stop it first (Ctrl-C in its terminal, or kill ${pid}); ` +
        `if no such process exists, delete the lock file.`,
    );
  }
}

function isLiveHolder(pid: number, marker: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else, so it may well hold the folder.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // On Linux, guard against pid reuse after a reboot or container restart.
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return true; // no /proc (macOS): a live pid is the best evidence available
  }
}

/** Atomically creates `lockFile` containing our pid; throws LockHeldError if a live holder exists. */
export function acquirePidLock(lockFile: string, marker: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(readFileSync(lockFile, "utf8").trim(), 10);
      if (isLiveHolder(pid, marker)) throw new LockHeldError(lockFile, pid);
      rmSync(lockFile, { force: true }); // stale: the holder died without cleaning up
    }
  }
  throw new Error(`Could not acquire ${lockFile}: another process keeps re-creating it`);
}
