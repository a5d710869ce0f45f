import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import { createPrismaClient } from "@/prisma/client";
import { DEMO_ACCOUNTS, DEMO_CATEGORIES, DEMO_PASSWORD } from "@/tests/support/factories";
import { DEMO_COLLEAGUES } from "@/prisma/demo-tickets";
import { seedDemo } from "@/prisma/seed";
import { applyMigrations } from "@/scripts/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "@/scripts/lib/test-database";
import { testDatabaseUrl } from "@/tests/support/db";
import { sealAndVerify } from "@/tests/support/audit";

// The seed is about exact counts, so it gets a database of its own (the shared test database
// may already hold demo accounts created by other files).
// These cases create scratch databases (CREATE DATABASE), which a PGlite socket server cannot
// give: it serves one database whatever the name. `npm test` on the embedded fallback skips them;
// CI and any run with TEST_DATABASE_URL on a real server runs them.
const onEmbeddedServer = process.env.TESSERA_TEST_DB_KIND === "embedded";

let fresh: FreshDatabase;
let db: Db;

beforeAll(async () => {
  if (onEmbeddedServer) return;
  const server = new URL(testDatabaseUrl());
  server.pathname = "/postgres";
  fresh = await createFreshDatabase(server.toString());
  await applyMigrations(fresh.url, { log: () => {} });
  db = createPrismaClient(fresh.url);
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await fresh?.drop();
});

// Accounts and categories only; the demo tickets have their own file (demo-seed.test.ts).
const NO_TICKETS = { tickets: false } as const;
const ACCOUNTS = [...DEMO_ACCOUNTS, ...DEMO_COLLEAGUES];

describe.skipIf(onEmbeddedServer)("seedDemo", () => {
  it("creates the demo accounts and categories once, audited, and is idempotent even when run concurrently", async () => {
    expect(await seedDemo(fresh.url, NO_TICKETS)).toEqual({ created: true, tickets: 0 });
    const again = await Promise.all([
      seedDemo(fresh.url, NO_TICKETS),
      seedDemo(fresh.url, NO_TICKETS),
    ]);
    expect(again).toEqual([
      { created: false, tickets: 0 },
      { created: false, tickets: 0 },
    ]);

    const users = await db.user.findMany({
      orderBy: { email: "asc" },
      omit: { passwordHash: false },
    });
    expect(users.map((u) => [u.email, u.name, u.role])).toEqual(
      [...ACCOUNTS]
        .sort((a, b) => a.email.localeCompare(b.email))
        .map((a) => [a.email, a.name, a.role]),
    );
    for (const user of users)
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash)).toBe(true);

    const categories = await db.category.findMany({ orderBy: { position: "asc" } });
    expect(categories.map((c) => c.name)).toEqual([...DEMO_CATEGORIES]);

    const events = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual([
      ...ACCOUNTS.map(() => "user.create"),
      ...DEMO_CATEGORIES.map(() => "category.create"),
    ]);
    for (const e of events)
      expect(e).toMatchObject({ actorId: null, outcome: "SUCCESS", metadata: { via: "seed" } });
    expect(await sealAndVerify(db)).toMatchObject({
      ok: true,
      count: ACCOUNTS.length + DEMO_CATEGORIES.length,
    });
  });

  it("fills in what is missing without touching what exists", async () => {
    await db.category.update({ where: { name: "Other" }, data: { name: "Other (renamed)" } });
    expect(await seedDemo(fresh.url, NO_TICKETS)).toEqual({ created: true, tickets: 0 });
    expect(await db.category.count({ where: { name: { in: ["Other", "Other (renamed)"] } } })).toBe(
      2,
    );
    expect(await db.user.count()).toBe(ACCOUNTS.length);
  });
});
