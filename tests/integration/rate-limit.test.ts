import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { Limiter, storeKey } from "@/lib/rate-limit/limiter";
import { createPostgresStore } from "@/lib/rate-limit/postgres-store";
import { createRedisClient, createRedisStore } from "@/lib/rate-limit/redis-store";
import { RateLimitStoreError } from "@/lib/rate-limit/types";
import { createPrismaClient } from "@/prisma/client";
import { postgresHandle, redisHandle, type StoreHandle } from "@/tests/support/rate-limit";

// The store contract, run against the real PostgreSQL and the real Redis; two "app instances"
// (separate clients and connection pools) sharing counters; and what a dead store does.

const handles: StoreHandle[] = [];
function track(h: StoreHandle) {
  handles.push(h);
  return h;
}
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

const rule = { name: "test-rule", limit: 10, windowSeconds: 60 };
const unique = (label: string) => `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe.each([
  ["postgres", () => track(postgresHandle())],
  ["redis", () => track(redisHandle())],
])("%s store", (_name, makeHandle) => {
  it("counts within a window, refunds never below 0, and starts a new window after it ends", async () => {
    const { store, expire } = makeHandle();
    const key = unique("count");
    expect(await store.peek(key)).toBeNull();
    const first = await store.hit(key, 1, 60_000);
    expect(first.count).toBe(1);
    expect(first.ttlMs).toBeGreaterThan(58_000);
    expect(first.ttlMs).toBeLessThanOrEqual(60_000);
    expect((await store.hit(key, 3, 60_000)).count).toBe(4);
    expect((await store.hit(key, -10, 60_000)).count).toBe(0);
    expect((await store.peek(key))?.count).toBe(0);
    await expire(key);
    expect(await store.peek(key)).toBeNull();
    expect((await store.hit(key, 2, 5_000)).count).toBe(2);
    await store.delete(key);
    expect(await store.peek(key)).toBeNull();
  });

  it("claim() succeeds once while the value is live, and again after it ends", async () => {
    const { store, expire } = makeHandle();
    const key = unique("claim");
    const results = await Promise.all(Array.from({ length: 8 }, () => store.claim(key, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    await expire(key);
    expect(await store.claim(key, 60_000)).toBe(true);
  });

  it("a limiter allows exactly `limit` in a window under concurrency, then says when to retry", async () => {
    const { store } = makeHandle();
    const limiter = new Limiter(store, rule);
    const id = unique("limiter");
    const decisions = await Promise.all(Array.from({ length: 15 }, () => limiter.consume(id)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(5);
    for (const d of refused) {
      expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(d.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
  });
});

describe("two app instances share the counters", () => {
  it("PostgreSQL: two Prisma clients (two pools) on one database count together", async () => {
    const a = track(postgresHandle(createTestDb({ max: 2 })));
    const b = track(postgresHandle(createTestDb({ max: 2 })));
    const id = unique("shared-pg");
    const instanceA = new Limiter(a.store, rule);
    const instanceB = new Limiter(b.store, rule);
    const allowed: string[] = [];
    for (let i = 0; i < 12; i++) {
      const [name, limiter] = i % 2 === 0 ? ["A", instanceA] : ["B", instanceB];
      if ((await limiter.consume(id)).allowed) allowed.push(name as string);
    }
    expect(allowed).toHaveLength(10); // not 10 per instance
    expect(allowed.filter((n) => n === "A")).toHaveLength(5);
    expect((await instanceB.peek(id))?.count).toBe(12);
    // A refund on one instance is seen by the other.
    await instanceA.refund(id, 3);
    expect((await instanceB.peek(id))?.count).toBe(9);
  });

  it("Redis: two connections count together", async () => {
    const a = track(redisHandle());
    const b = track(redisHandle());
    const id = unique("shared-redis");
    const results = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        new Limiter(i % 2 ? a.store : b.store, rule).consume(id),
      ),
    );
    expect(results.filter((d) => d.allowed)).toHaveLength(10);
  });

  it("keys never hold the raw identifier", () => {
    const key = storeKey("signin-acct-fail", "alice@example.test");
    expect(key).toMatch(/^signin-acct-fail:[A-Za-z0-9_-]{32}$/);
    expect(key).not.toContain("alice");
  });
});

describe("a store that is down answers with an error, quickly", () => {
  it("PostgreSQL unreachable -> RateLimitStoreError", async () => {
    const dead = createPrismaClient("postgresql://postgres@127.0.0.1:1/nothing", { max: 1 });
    const store = createPostgresStore(dead);
    const started = performance.now();
    await expect(store.hit("k", 1, 1000)).rejects.toBeInstanceOf(RateLimitStoreError);
    expect(performance.now() - started).toBeLessThan(5_000);
    await dead.$disconnect();
  });

  it("Redis unreachable -> RateLimitStoreError within a second, then at once (no queue)", async () => {
    const client = createRedisClient("redis://127.0.0.1:1");
    const store = createRedisStore(client);
    let started = performance.now();
    await expect(store.hit("k", 1, 1000)).rejects.toBeInstanceOf(RateLimitStoreError);
    expect(performance.now() - started).toBeLessThan(1_500);
    started = performance.now();
    await expect(store.claim("k", 1000)).rejects.toBeInstanceOf(RateLimitStoreError);
    await expect(store.peek("k")).rejects.toBeInstanceOf(RateLimitStoreError);
    expect(performance.now() - started).toBeLessThan(200);
    client.disconnect();
  });
});
