import "server-only";
import { db } from "@/lib/db";
import { AppError, RateLimitedError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { rateLimitConfig, type Rule } from "@/lib/rate-limit/config";
import { Limiter } from "@/lib/rate-limit/limiter";
import { createPostgresStore } from "@/lib/rate-limit/postgres-store";
import { createRedisClient, createRedisStore } from "@/lib/rate-limit/redis-store";
import { selectStore } from "@/lib/rate-limit/select";
import { onShutdown } from "@/lib/shutdown";
import { RateLimitStoreError, type RateLimitStore } from "@/lib/rate-limit/types";
import { createUpstashStore } from "@/lib/rate-limit/upstash-store";

export { Limiter, type Decision } from "@/lib/rate-limit/limiter";
export { RateLimitStoreError, type RateLimitStore } from "@/lib/rate-limit/types";

/** The store is down and the action fails closed. */
export class ThrottleUnavailableError extends AppError {
  constructor() {
    super("This is temporarily unavailable. Please try again in a minute.");
  }
}

// One store per process, chosen from the environment (lib/rate-limit/select.ts).
const holder = globalThis as unknown as { tesseraRateLimitStore?: RateLimitStore };

export function rateLimitStore(): RateLimitStore {
  if (!holder.tesseraRateLimitStore) {
    const choice = selectStore(process.env);
    holder.tesseraRateLimitStore =
      choice.kind === "upstash"
        ? createUpstashStore(choice.url, choice.token)
        : choice.kind === "redis"
          ? redisStore(choice.url)
          : createPostgresStore(db);
  }
  return holder.tesseraRateLimitStore;
}

function redisStore(url: string): RateLimitStore {
  const redis = createRedisClient(url);
  onShutdown("rate-limit Redis connection", () => redis.quit());
  return createRedisStore(redis);
}

/** For tests: run the app's code against another store (a second instance, a dead one). */
export function setRateLimitStore(store: RateLimitStore | undefined): void {
  holder.tesseraRateLimitStore = store;
}

type PerUserRule =
  | "passwordChange"
  | "ticketCreate"
  | "ticketEdit"
  | "ticketReply"
  | "attachmentUpload"
  | "livePresence";

/**
 * Throws RateLimitedError ("Too many attempts. Try again in N seconds.") when `userId` is over
 * the rule. When the store is down: `failOpen` lets the request through with an error logged
 * (ticket creation and replies: a help desk must keep taking tickets); otherwise it refuses.
 */
export async function enforceUserLimit(
  ruleName: PerUserRule,
  userId: string,
  options: { failOpen: boolean },
): Promise<void> {
  const rule: Rule = rateLimitConfig()[ruleName];
  try {
    const decision = await new Limiter(rateLimitStore(), rule).consume(userId);
    if (!decision.allowed) {
      logger.warn({ event: "rate_limited", rule: rule.name, userId }, "rate limit reached");
      throw new RateLimitedError(decision.retryAfterSeconds);
    }
  } catch (error) {
    if (!(error instanceof RateLimitStoreError)) throw error;
    logger.error({ event: "rate_limit_store_down", rule: rule.name, err: error }, error.message);
    if (!options.failOpen) throw new ThrottleUnavailableError();
  }
}
