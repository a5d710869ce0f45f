import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { DEMO_ACCOUNTS, DEMO_CATEGORIES, DEMO_PASSWORD } from "@/tests/support/factories";
import { DEMO_COLLEAGUES } from "@/prisma/demo-tickets";
import { seedDemo } from "@/prisma/seed";
import { sealAndVerify } from "@/tests/support/audit";
import { onEmbeddedServer, scratchDatabaseForFile } from "@/tests/support/scratch-db";

// The seed is about exact counts, so it gets a database of its own (the shared test database
// may already hold demo accounts created by other files). Skipped on the embedded fallback of
// `npm test`, which cannot create scratch databases (see tests/support/scratch-db.ts).

const scratch = scratchDatabaseForFile();

// Accounts and categories only; the demo tickets have their own file (demo-seed.test.ts).
const NO_TICKETS = { tickets: false } as const;
const ACCOUNTS = [...DEMO_ACCOUNTS, ...DEMO_COLLEAGUES];

describe.skipIf(onEmbeddedServer)("seedDemo", () => {
  it("creates the demo accounts and categories once, audited, and is idempotent even when run concurrently", async () => {
    expect(await seedDemo(scratch.url, NO_TICKETS)).toEqual({ created: true, tickets: 0 });
    const again = await Promise.all([
      seedDemo(scratch.url, NO_TICKETS),
      seedDemo(scratch.url, NO_TICKETS),
    ]);
    expect(again).toEqual([
      { created: false, tickets: 0 },
      { created: false, tickets: 0 },
    ]);

    const users = await scratch.db.user.findMany({
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

    const categories = await scratch.db.category.findMany({ orderBy: { position: "asc" } });
    expect(categories.map((c) => c.name)).toEqual([...DEMO_CATEGORIES]);

    const events = await scratch.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual([
      ...ACCOUNTS.map(() => "user.create"),
      ...DEMO_CATEGORIES.map(() => "category.create"),
    ]);
    for (const e of events)
      expect(e).toMatchObject({ actorId: null, outcome: "SUCCESS", metadata: { via: "seed" } });
    expect(await sealAndVerify(scratch.db)).toMatchObject({
      ok: true,
      count: ACCOUNTS.length + DEMO_CATEGORIES.length,
    });
  });

  it("fills in what is missing without touching what exists", async () => {
    await scratch.db.category.update({
      where: { name: "Other" },
      data: { name: "Other (renamed)" },
    });
    expect(await seedDemo(scratch.url, NO_TICKETS)).toEqual({ created: true, tickets: 0 });
    expect(
      await scratch.db.category.count({ where: { name: { in: ["Other", "Other (renamed)"] } } }),
    ).toBe(2);
    expect(await scratch.db.user.count()).toBe(ACCOUNTS.length);
  });
});
