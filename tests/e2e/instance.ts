// Extra app instances for the multi-process tests (instances.spec.ts, faults.spec.ts): started
// as `npm start` does (scripts/start.ts: migrations at start, then scripts/server.ts), from the
// build the suite's own server made (TESSERA_SKIP_BUILD=1: never rebuilt under its feet).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { exited, type ExitInfo } from "@/scripts/lib/proc";
import { E2E_AUTH_SECRET, E2E_MFA_ENCRYPTION_KEY } from "./mfa-key";

export type Instance = {
  port: number;
  base: string;
  /** start.ts's pid; it leads a process group of its own (start.ts and scripts/server.ts). */
  pid: number;
  child: ChildProcess;
  /** Every line it printed so far (stdout and stderr). */
  output: string[];
  exit: Promise<ExitInfo>;
};

/** A port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startInstance(options: {
  databaseUrl: string;
  port: number;
  env?: Record<string, string>;
  /** How long to wait for readiness (migrations and Next's start included). */
  timeoutMs?: number;
}): Promise<Instance> {
  const { port } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    TESSERA_HOSTNAME: "127.0.0.1",
    TESSERA_SKIP_BUILD: "1",
    AUTH_SECRET: E2E_AUTH_SECRET,
    MFA_ENCRYPTION_KEY: E2E_MFA_ENCRYPTION_KEY,
    AUTH_TRUST_HOST: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  for (const name of ["TESSERA_SEED_DEMO", "TESSERA_DEMO", "E2E_BASE_URL", "REDIS_URL"]) {
    if (!options.env?.[name]) delete env[name];
  }
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // a process group: kill -9 takes start.ts and the server together
    env,
  });
  const output: string[] = [];
  const collect = (d: Buffer) => {
    for (const line of d.toString().split("\n")) if (line.trim()) output.push(line);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const instance: Instance = {
    port,
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    output,
    exit: exited(child),
  };
  const until = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const status = await fetch(`${instance.base}/api/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return instance;
    await new Promise((r) => setTimeout(r, 250));
  }
  killGroup(instance, "SIGKILL");
  throw new Error(`instance on port ${port} did not become ready:\n${output.join("\n")}`);
}

/** Signals start.ts and the server (its process group), as a supervisor or kill -9 would. */
export function killGroup(instance: Instance, signal: NodeJS.Signals): void {
  try {
    process.kill(-instance.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to start.ts (which stops the server gracefully); resolves with its exit. */
export async function stopInstance(instance: Instance): Promise<ExitInfo> {
  if (instance.child.exitCode === null && instance.child.signalCode === null)
    instance.child.kill("SIGTERM");
  const timer = setTimeout(() => killGroup(instance, "SIGKILL"), 20_000);
  const info = await instance.exit;
  clearTimeout(timer);
  return info;
}

/** `count` requesters and one category on a database of a test's own (no demo data there). */
export async function seedRequesters(
  client: { query: (sql: string, values?: unknown[]) => Promise<unknown> },
  prefix: string,
  count: number,
): Promise<{ users: string[]; category: string }> {
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt")
     SELECT $1 || i, $1 || i || '@example.test', 'Requester ' || i, '!', 'USER'::"Role", now()
       FROM generate_series(1, $2::int) i`,
    [prefix, count],
  );
  const category = `${prefix}category`;
  await client.query(`INSERT INTO "Category" (id, name, "updatedAt") VALUES ($1, $1, now())`, [
    category,
  ]);
  return { users: Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`), category };
}
