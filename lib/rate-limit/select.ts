// Which store the environment asks for. No "server-only": pure logic, unit-tested.
import type { StoreKind } from "@/lib/rate-limit/types";

export type StoreChoice =
  | { kind: "upstash"; url: string; token: string }
  | { kind: "redis"; url: string }
  | { kind: "postgres" };

/**
 * Upstash when both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN are set, else Redis when
 * REDIS_URL is set, else PostgreSQL (the app's database). Half an Upstash configuration is an
 * error, not a silent fallback to another store.
 */
export function selectStore(env: Record<string, string | undefined>): StoreChoice {
  const url = env.UPSTASH_REDIS_REST_URL?.trim();
  const token = env.UPSTASH_REDIS_REST_TOKEN?.trim();
  if (url || token) {
    if (!url || !token) {
      throw new Error("Set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, or neither.");
    }
    if (!/^https:\/\//.test(url))
      throw new Error("UPSTASH_REDIS_REST_URL must be an https:// URL.");
    return { kind: "upstash", url, token };
  }
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) {
    if (!/^rediss?:\/\//.test(redisUrl)) {
      throw new Error("REDIS_URL must start with redis:// or rediss://.");
    }
    return { kind: "redis", url: redisUrl };
  }
  return { kind: "postgres" };
}

export type { StoreKind };
