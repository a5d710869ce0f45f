import { afterAll, describe, expect, it } from "vitest";
import { routeAccess } from "@/lib/auth/permissions";
import { readiness } from "@/lib/health";
import { createPrismaClient } from "@/prisma/client";
import { createTestDb } from "@/tests/support/db";
import { createScratchDatabase, onEmbeddedServer } from "@/tests/support/scratch-db";

const live = await import("@/app/api/health/live/route");
const ready = await import("@/app/api/health/ready/route");

// Issue 12 §3: what a load balancer probes. Liveness never touches the database; readiness
// answers 503 while the database is unreachable or a migration is pending.
const db = createTestDb();
afterAll(() => db.$disconnect());

describe("health endpoints", () => {
  it("are public (the load balancer has no session)", () => {
    expect(routeAccess("/api/health/live")).toBe("public");
    expect(routeAccess("/api/health/ready")).toBe("public");
    expect(routeAccess("/api/healthz")).toBe("signed-in");
  });

  it("live: 200, not cached", async () => {
    const res = live.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("ready: 200 on the migrated test database", async () => {
    const res = await ready.GET();
    expect(await res.json()).toEqual({
      status: "ready",
      checks: { database: "ok", migrations: "ok" },
    });
    expect(res.status).toBe(200);
  });

  it("not ready while the database is unreachable (no error details)", async () => {
    const down = createPrismaClient("postgresql://postgres@127.0.0.1:9/tessera_test_down");
    try {
      expect(await readiness(down, 5_000)).toEqual({
        ready: false,
        checks: { database: "unreachable", migrations: "unknown" },
      });
    } finally {
      await down.$disconnect();
    }
  });

  it.skipIf(onEmbeddedServer)("not ready while migrations are pending", async () => {
    const fresh = await createScratchDatabase();
    const empty = createPrismaClient(fresh.url);
    try {
      expect(await readiness(empty)).toEqual({
        ready: false,
        checks: { database: "ok", migrations: "pending" },
      });
      // One finished migration of many is still "pending".
      await empty.$executeRaw`
        CREATE TABLE _prisma_migrations (
          migration_name text, finished_at timestamptz, rolled_back_at timestamptz)`;
      await empty.$executeRaw`
        INSERT INTO _prisma_migrations VALUES ('20261127211457_init', now(), NULL)`;
      expect((await readiness(empty)).checks.migrations).toBe("pending");
    } finally {
      await empty.$disconnect();
      await fresh.drop();
    }
  });
});
