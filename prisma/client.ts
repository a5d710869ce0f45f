// A PrismaClient for tsx scripts and tests (seed, user:create, integration tests), which cannot
// import lib/db.ts: that module is "server-only" and reads the whole app environment. Same
// options as lib/db.ts (passwordHash and the MFA secrets omitted by default), so it has the same `Db` type.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db";
import { transactionOptions, USER_OMIT } from "@/lib/db-options";

export function createPrismaClient(databaseUrl: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 5 });
  return new PrismaClient({ adapter, omit: USER_OMIT, transactionOptions: transactionOptions() });
}
