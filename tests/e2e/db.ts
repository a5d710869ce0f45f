// Direct database access for end-to-end tests: the same database the app under test uses.
import { createPrismaClient } from "@/prisma/client";
import type { Db } from "@/lib/db";

let client: Db | undefined;

export function testDb(): Db {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL must point at the app's database");
  client ??= createPrismaClient(url, { max: 2 });
  return client;
}
