// Demo data: three sign-in accounts (one per role), a few colleagues, the default categories,
// every creation audited with the system as actor; and, on a help desk with no ticket yet, a
// month of history (prisma/demo-tickets.ts), each step audited as the person who took it.
// Idempotent: creates only what is missing, so it can run on every start of the embedded demo.
// `npm run db:seed` seeds DATABASE_URL.
//
// Script-safe by design: it imports only modules without "server-only" (lib/audit,
// lib/users/service, lib/users/password take the Prisma client as a parameter) and makes its
// own PrismaClient, so plain `tsx prisma/seed.ts` works.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { createUser } from "@/lib/users/service";
import { createPrismaClient } from "@/prisma/client";
import { DEMO_COLLEAGUES } from "@/prisma/demo-tickets";
import { seedDemoTickets } from "@/prisma/seed-tickets";
import { DEMO_ACCOUNTS, DEMO_CATEGORIES, DEMO_PASSWORD } from "@/prisma/factories";

/** Serializes concurrent seeds (two app instances starting together). */
const SEED_LOCK_KEY = 7_310_431_942_002n;

export type SeedOptions = {
  /** The month of demo tickets (default true); only ever added to a desk without tickets. */
  tickets?: boolean;
  /** "Now" for the tickets' dates (tests pin it). */
  now?: Date;
};

export async function seedDemoWith(
  db: Db,
  options: SeedOptions = {},
): Promise<{ created: boolean; tickets: number }> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})::text AS locked`;
      let created = false;
      // Every demo account has the same password: bcrypt it once, and only if one is missing.
      let passwordHash: string | undefined;
      for (const account of [...DEMO_ACCOUNTS, ...DEMO_COLLEAGUES]) {
        if (await tx.user.findUnique({ where: { email: account.email }, select: { id: true } }))
          continue;
        passwordHash ??= await hashPassword(DEMO_PASSWORD);
        await createUser(
          tx,
          { ...account, password: DEMO_PASSWORD },
          { metadata: { via: "seed" }, passwordHash },
        );
        created = true;
      }
      for (const [position, name] of DEMO_CATEGORIES.entries()) {
        if (await tx.category.findUnique({ where: { name }, select: { id: true } })) continue;
        const category = await tx.category.create({
          data: { name, position },
          select: { id: true, name: true, position: true },
        });
        await recordAudit(tx, {
          actor: null,
          action: "category.create",
          entityType: "Category",
          entityId: category.id,
          outcome: "SUCCESS",
          after: { name: category.name, position: category.position },
          metadata: { via: "seed" },
        });
        created = true;
      }
      const tickets =
        options.tickets === false ? 0 : await seedDemoTickets(tx, options.now ?? new Date());
      return { created: created || tickets > 0, tickets };
    },
    // One bcrypt hash and a few hundred small writes; the embedded database is slower: room.
    { isolationLevel: "ReadCommitted", maxWait: 10_000, timeout: 120_000 },
  );
}

export async function seedDemo(
  databaseUrl: string,
  options: SeedOptions = {},
): Promise<{ created: boolean; tickets: number }> {
  const db = createPrismaClient(databaseUrl, { max: 2 });
  try {
    return await seedDemoWith(db, options);
  } finally {
    await db.$disconnect();
  }
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set.");
    return 2;
  }
  // Known demo passwords must not appear in a production database by accident.
  if (process.env.NODE_ENV === "production" && process.env.TESSERA_DEMO !== "1") {
    console.error(
      "Refusing to create demo accounts with NODE_ENV=production (set TESSERA_DEMO=1 to insist).",
    );
    return 2;
  }
  const { created, tickets } = await seedDemo(url);
  console.log(
    created
      ? `Demo data created${tickets ? ` (${tickets} tickets)` : ""}. Sign in as ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")} with password "${DEMO_PASSWORD}".`
      : "Demo data already present; nothing to do.",
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error("Seeding failed:", error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
