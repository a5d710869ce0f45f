// Direct database access for end-to-end tests: the same database the app under test uses.
import type { Db } from "@/lib/db";
import { createTestDb } from "@/tests/support/db";

let client: Db | undefined;

export function testDb(): Db {
  client ??= createTestDb({ max: 2 });
  return client;
}
