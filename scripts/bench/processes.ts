// The app and PostgreSQL as processes, for the benchmarks that load them (writes.ts, mixed.ts):
// start the production build behind the custom server (scripts/server.ts, background jobs
// included), stop it, and read what the processes use from Linux's /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** CPU seconds (user + system) used so far by each of the given processes. */
export function cpuSeconds(pids: number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the process ended meanwhile
    }
  }
  return used;
}

/** CPU seconds used between two snapshots (a process new in `after` counts from zero). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

export function postgresPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, "utf8").trim() === "postgres";
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Resident memory of one process (VmRSS), MiB; 0 when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? +(Number(match[1]) / 1024).toFixed(1) : 0;
  } catch {
    return 0;
  }
}

/**
 * Proportional memory (Pss) of several processes, MiB: shared memory (PostgreSQL's shared
 * buffers) is divided among the processes that map it instead of counted once per backend.
 */
export function pssMiB(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      if (match) kb += Number(match[1]);
    } catch {
      // gone, or not ours to read
    }
  }
  return +(kb / 1024).toFixed(1);
}

/** The production build in `appDir`, served by scripts/server.ts; resolves once it is ready. */
export async function startServer(options: {
  appDir: string;
  url: string;
  port: number;
  secret: string;
  cpuProf?: string;
  env?: Record<string, string>;
  /** Extra options for node (e.g. --expose-gc, --import a probe). */
  nodeArgs?: string[];
}): Promise<ChildProcess> {
  const args = [...(options.nodeArgs ?? []), "--import", "tsx", "scripts/server.ts"];
  if (options.cpuProf) args.unshift("--cpu-prof", `--cpu-prof-dir=${options.cpuProf}`);
  const child = spawn(process.execPath, args, {
    cwd: options.appDir,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(options.port),
      DATABASE_URL: options.url,
      AUTH_SECRET: options.secret,
      AUTH_TRUST_HOST: "true",
      LOG_LEVEL: "warn",
      TESSERA_AUDIT_ANCHOR_FILE: join(mkdtempSync(join(tmpdir(), "bench-anchors-")), "a.jsonl"),
      ...options.env,
    },
  });
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`http://127.0.0.1:${options.port}/api/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error("the app did not become ready within 60 s");
}

/** SIGTERM (the graceful stop), SIGKILL after 20 s. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
