import "server-only";
import { Redis } from "ioredis";
import { logger } from "@/lib/logger";
import { HIT_SCRIPT, PEEK_SCRIPT } from "@/lib/rate-limit/redis-scripts";
import { RateLimitStoreError, type Counter, type RateLimitStore } from "@/lib/rate-limit/types";

// Redis store (REDIS_URL). Shared by every app instance that uses the same Redis. Commands are
// never queued while Redis is unreachable (enableOfflineQueue: false) and time out after
// commandTimeout, so a dead Redis answers with an error within ~0.5 s instead of hanging sign-in.

const PREFIX = "tessera:rl:";

export function createRedisClient(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 1000,
    // Keep reconnecting in the background (capped at 2 s) so the store recovers by itself.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Without a listener ioredis prints every failed reconnect to stderr; log the outage once.
  let down = false;
  redis.on("error", (err) => {
    if (!down)
      logger.error({ event: "rate_limit_store_down", store: "redis", err }, "Redis unreachable");
    down = true;
  });
  redis.on("ready", () => {
    if (down)
      logger.info({ event: "rate_limit_store_up", store: "redis" }, "Redis reachable again");
    down = false;
  });
  return redis;
}

function toCounter(reply: unknown): Counter | null {
  if (!Array.isArray(reply)) return null;
  return { count: Number(reply[0]), ttlMs: Math.max(0, Number(reply[1])) };
}

/**
 * Waits up to `ms` while the first connection is being made. Once a connection has failed
 * ("reconnecting"), commands fail at once instead: an outage costs no waiting per request.
 */
function ready(redis: Redis, ms: number): Promise<void> {
  if (!["wait", "connecting", "connect"].includes(redis.status)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve(); // on timeout the command itself fails fast (no offline queue)
    };
    const timer = setTimeout(done, ms);
    redis.once("ready", done);
  });
}

export function createRedisStore(redis: Redis): RateLimitStore {
  async function run<T>(op: () => Promise<T>): Promise<T> {
    try {
      await ready(redis, 1000);
      return await op();
    } catch (error) {
      throw new RateLimitStoreError("redis", error);
    }
  }

  return {
    kind: "redis",
    async hit(key, points, windowMs) {
      const reply = await run(() => redis.eval(HIT_SCRIPT, 1, PREFIX + key, points, windowMs));
      return toCounter(reply)!;
    },
    async peek(key) {
      return toCounter(await run(() => redis.eval(PEEK_SCRIPT, 1, PREFIX + key)));
    },
    async claim(key, ms) {
      return (await run(() => redis.set(PREFIX + key, 1, "PX", ms, "NX"))) === "OK";
    },
    async delete(key) {
      await run(() => redis.del(PREFIX + key));
    },
  };
}
