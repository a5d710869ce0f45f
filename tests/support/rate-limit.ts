// For the rate-limit tests: real PostgreSQL and real Redis stores, and a way to make a key's
// window end now (instead of waiting minutes for a lockout to pass).
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe } from "vitest";
import type { Db } from "@/lib/db";
import { setRateLimitStore } from "@/lib/rate-limit";
import { createPostgresStore } from "@/lib/rate-limit/postgres-store";
import { createRedisClient, createRedisStore } from "@/lib/rate-limit/redis-store";
import type { RateLimitStore } from "@/lib/rate-limit/types";
import { createTestDb } from "@/tests/support/db";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export type StoreHandle = {
  store: RateLimitStore;
  /** Ends the window (or lock) of `key` now, as if its time had passed. */
  expire(key: string): Promise<void>;
  close(): Promise<void>;
};

export function postgresHandle(db?: Db): StoreHandle {
  const client = db ?? createTestDb({ max: 3 });
  return {
    store: createPostgresStore(client),
    async expire(key) {
      await client.$executeRaw`UPDATE "RateLimit" SET "expiresAt" = now() WHERE "key" = ${key}`;
    },
    close: () => (db ? Promise.resolve() : client.$disconnect()),
  };
}

export function redisHandle(): StoreHandle {
  const client: Redis = createRedisClient(REDIS_URL);
  return {
    store: createRedisStore(client),
    async expire(key) {
      await client.del(`tessera:rl:${key}`);
    },
    async close() {
      client.disconnect();
    },
  };
}

let counter = 0;
/** A documentation-range ip no other test uses. */
export function uniqueIp(): string {
  counter += 1;
  return `198.51.${(process.pid + counter) % 250}.${(Date.now() + counter) % 250}`;
}

/**
 * Runs `body` as a describe block once on the real PostgreSQL store and once on the real Redis
 * store (`title` gets the store's name for its `%s`). Each test gets a fresh handle, installed as
 * the app's store and closed after it; `handle()` is the current one.
 */
export function describeEachStore(
  title: string,
  db: Db,
  body: (handle: () => StoreHandle) => void,
): void {
  describe.each([
    ["postgres", () => postgresHandle(db)],
    ["redis", () => redisHandle()],
  ])(title, (_name, makeHandle) => {
    let current: StoreHandle;
    beforeEach(() => {
      current = makeHandle();
      setRateLimitStore(current.store);
    });
    afterEach(() => current.close());
    body(() => current);
  });
}
