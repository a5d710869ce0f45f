import "server-only";
import { createHash } from "node:crypto";
import type { Rule } from "@/lib/rate-limit/config";
import type { Counter, RateLimitStore } from "@/lib/rate-limit/types";

export type Decision = { allowed: boolean; count: number; retryAfterSeconds: number };

/**
 * Store keys never hold the raw identifier (emails, ips): a truncated sha256 keeps personal data
 * out of the rate-limit table and Redis, and bounds key length.
 */
export function storeKey(scope: string, id: string): string {
  return `${scope}:${createHash("sha256").update(id).digest("base64url").slice(0, 32)}`;
}

export function secondsFrom(counter: Pick<Counter, "ttlMs">): number {
  return Math.max(1, Math.ceil(counter.ttlMs / 1000));
}

/** A fixed-window limit (`rule.limit` points per `rule.windowSeconds`) over any store. */
export class Limiter {
  constructor(
    readonly store: RateLimitStore,
    readonly rule: Rule,
  ) {}

  private key(id: string) {
    return storeKey(this.rule.name, id);
  }

  /** Takes `points`; refused when the window's total goes over the limit. */
  async consume(id: string, points = 1): Promise<Decision> {
    const counter = await this.store.hit(this.key(id), points, this.rule.windowSeconds * 1000);
    const allowed = counter.count <= this.rule.limit;
    return { allowed, count: counter.count, retryAfterSeconds: allowed ? 0 : secondsFrom(counter) };
  }

  /** Gives points back (e.g. a successful sign-in does not count against the ip). */
  async refund(id: string, points = 1): Promise<void> {
    await this.store.hit(this.key(id), -points, this.rule.windowSeconds * 1000);
  }

  async peek(id: string): Promise<Counter | null> {
    return this.store.peek(this.key(id));
  }

  async reset(id: string): Promise<void> {
    await this.store.delete(this.key(id));
  }
}
