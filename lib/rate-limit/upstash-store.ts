import "server-only";
import { Redis } from "@upstash/redis";
import { HIT_SCRIPT, PEEK_SCRIPT } from "@/lib/rate-limit/redis-scripts";
import { RateLimitStoreError, type Counter, type RateLimitStore } from "@/lib/rate-limit/types";

// Upstash store (UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN), for serverless deployments
// where a TCP connection pool cannot be kept. It talks to Upstash's REST API with @upstash/redis
// (the client @upstash/ratelimit is built on) and runs the same Lua as the Redis store. Why not
// @upstash/ratelimit's own algorithms: they have no per-key growing lockout or one-time claim,
// and their scripts start with `#!lua flags=allow-key-locking`, which stock Redis < 7.4 refuses.
// NOT TESTED HERE: Upstash cannot be self-hosted and these machines have no internet. Only the
// selection logic is unit-tested (tests/unit/rate-limit-select.test.ts).

const PREFIX = "tessera:rl:";

function toCounter(reply: unknown): Counter | null {
  if (!Array.isArray(reply)) return null;
  return { count: Number(reply[0]), ttlMs: Math.max(0, Number(reply[1])) };
}

export function createUpstashStore(url: string, token: string): RateLimitStore {
  // No automatic retries: a refused or slow request must surface as a store error quickly.
  const redis = new Redis({ url, token, retry: false, automaticDeserialization: false });

  async function run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new RateLimitStoreError("upstash", error);
    }
  }

  return {
    kind: "upstash",
    async hit(key, points, windowMs) {
      return toCounter(
        await run(() => redis.eval(HIT_SCRIPT, [PREFIX + key], [points, windowMs])),
      )!;
    },
    async peek(key) {
      return toCounter(await run(() => redis.eval(PEEK_SCRIPT, [PREFIX + key], [])));
    },
    async claim(key, ms) {
      return (await run(() => redis.set(PREFIX + key, 1, { px: ms, nx: true }))) === "OK";
    },
    async delete(key) {
      await run(() => redis.del(PREFIX + key));
    },
  };
}
