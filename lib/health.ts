import "server-only";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "@/lib/db";

// What a load balancer and an operator ask (issue 12 §3): is the process alive (no dependency:
// a database outage must not get healthy instances killed), and may it take traffic (the
// database answers and no migration is pending).

export type Readiness = {
  ready: boolean;
  checks: { database: "ok" | "unreachable"; migrations: "ok" | "pending" | "unknown" };
};

let shipped: string[] | undefined;

/** Migration folders shipped with this build (prisma/migrations/<timestamp>_<name>); read once. */
function shippedMigrations(): string[] {
  shipped ??= readdirSync(join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
    .map((e) => e.name);
  return shipped;
}

export async function readiness(db: Pick<Db, "$queryRaw">, timeoutMs = 5_000): Promise<Readiness> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("timeout")), timeoutMs).unref(),
  );
  let applied: Set<string>;
  try {
    const rows = await Promise.race([
      db.$queryRaw<{ name: string }[]>`
        SELECT migration_name AS name FROM _prisma_migrations
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      timeout,
    ]);
    applied = new Set(rows.map((r) => r.name));
  } catch (err) {
    // No history table yet means a reachable database that has never been migrated.
    const missing = /_prisma_migrations/.test(String((err as Error).message));
    return {
      ready: false,
      checks: {
        database: missing ? "ok" : "unreachable",
        migrations: missing ? "pending" : "unknown",
      },
    };
  }
  const pending = shippedMigrations().some((name) => !applied.has(name));
  return {
    ready: !pending,
    checks: { database: "ok", migrations: pending ? "pending" : "ok" },
  };
}
