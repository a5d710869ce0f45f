import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

/** Secret columns of User left out of every query by default (shared with prisma/client.ts). */
export const USER_OMIT = {
  user: { passwordHash: true, mfaSecret: true, mfaPendingSecret: true },
} as const;

function createClient() {
  const adapter = new PrismaPg({
    connectionString: env().DATABASE_URL,
    max: env().DATABASE_POOL_SIZE,
  });
  // passwordHash and the MFA secrets are never selected unless a query asks for them with
  // `omit: { passwordHash: false }` (or mfaSecret / mfaPendingSecret).
  return new PrismaClient({ adapter, omit: USER_OMIT });
}

export type Db = ReturnType<typeof createClient>;
/** The client handed to `$transaction(async (tx) => ...)` callbacks. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One client per process, kept across hot reloads in development.
const globalForDb = globalThis as unknown as { tesseraDb?: Db };

export const db: Db = globalForDb.tesseraDb ?? createClient();
if (process.env.NODE_ENV !== "production") globalForDb.tesseraDb = db;
