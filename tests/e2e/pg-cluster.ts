// A private PostgreSQL cluster for faults.spec.ts: initdb into a temp folder, its own port, so
// that restarting or crashing it disturbs no other test. Binaries: PG_BIN_DIR, else the newest
// /usr/lib/postgresql/<version>/bin (Debian/Ubuntu), else initdb/pg_ctl on PATH. PostgreSQL
// refuses to run as root: as root, the binaries run as the `postgres` user (runuser).
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

function binDir(): string | undefined {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((x, y) => Number(y) - Number(x));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

export type Cluster = {
  port: number;
  url: (database: string) => string;
  /** pg_ctl <args> (start/stop/restart ...); throws with its output when it fails. */
  ctl: (...args: string[]) => void;
  /** Stops it (immediately) and removes its folder. */
  destroy: () => void;
};

export function createCluster(port: number): Cluster {
  const dir = mkdtempSync(join(tmpdir(), "tessera-pg-"));
  const data = join(dir, "data");
  const root = userInfo().uid === 0;
  const bin = binDir();
  const run = (tool: string, args: string[]) => {
    const command = bin ? join(bin, tool) : tool;
    const r = root
      ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
      : spawnSync(command, args, { encoding: "utf8" });
    if (r.status !== 0) {
      throw new Error(`${tool} ${args.join(" ")} failed: ${r.error?.message ?? ""}
${r.stdout ?? ""}${r.stderr ?? ""}`);
    }
  };
  if (root) spawnSync("chown", ["postgres:", dir]);
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  // In postgresql.conf rather than `pg_ctl -o`: a later `pg_ctl start` must find them too.
  const settings = [
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    "listen_addresses = '127.0.0.1'",
    // Not an OS crash: a killed postmaster's committed WAL is in the page cache either way.
    "fsync = off",
    "max_connections = 60",
  ];
  appendFileSync(join(data, "postgresql.conf"), `\n${settings.join("\n")}\n`);
  const ctl = (...args: string[]) => run("pg_ctl", ["-D", data, "-l", join(dir, "log"), ...args]);
  ctl("-w", "start");
  return {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    ctl,
    destroy: () => {
      try {
        ctl("-m", "immediate", "stop");
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
