import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { transactionOptions, USER_OMIT } from "@/lib/db-options";
import { env } from "@/lib/env";
import { registerPool } from "@/lib/metrics/registry";

function createClient() {
  // Our own pool, so the metrics can read its usage; $disconnect() still ends it.
  const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: env().DATABASE_POOL_SIZE });
  registerPool(pool, env().DATABASE_POOL_SIZE);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // passwordHash and the MFA secrets are never selected unless a query asks for them with
  // `omit: { passwordHash: false }` (or mfaSecret / mfaPendingSecret).
  return new PrismaClient({ adapter, omit: USER_OMIT, transactionOptions: transactionOptions() });
}

export type Db = ReturnType<typeof createClient>;
/** The client handed to `$transaction(async (tx) => ...)` callbacks. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One client per process, kept across hot reloads in development.
const globalForDb = globalThis as unknown as { tesseraDb?: Db };

export const db: Db = globalForDb.tesseraDb ?? createClient();
if (process.env.NODE_ENV !== "production") globalForDb.tesseraDb = db;
