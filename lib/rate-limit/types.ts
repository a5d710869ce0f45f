// The one interface every rate-limit store implements. Stores only count; what a count means
// (a limit, a lockout, a CAPTCHA threshold) is decided in limiter.ts and sign-in-throttle.ts.

export type StoreKind = "postgres" | "redis" | "upstash" | "memory";

/** A counter's value and how long until its window (or lock) ends. */
export type Counter = { count: number; ttlMs: number };

export interface RateLimitStore {
  readonly kind: StoreKind;
  /**
   * Atomically adds `points` (negative to refund; never below 0) to `key`. When the key has no
   * live window, a new one of `windowMs` starts. Returns the new count and the time left.
   */
  hit(key: string, points: number, windowMs: number): Promise<Counter>;
  /** The live counter for `key`, or null when there is none. */
  peek(key: string): Promise<Counter | null>;
  /**
   * Atomically sets `key` for `ms` unless a live value exists. True when this call set it: the
   * primitive behind one-time CAPTCHA solutions and race-free lockouts.
   */
  claim(key: string, ms: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** The store could not answer (connection refused, timeout). Callers decide: fail open or closed. */
export class RateLimitStoreError extends Error {
  constructor(
    readonly store: StoreKind,
    cause: unknown,
  ) {
    super(`rate-limit store "${store}" unavailable: ${(cause as Error)?.message ?? cause}`);
    this.name = "RateLimitStoreError";
    this.cause = cause;
  }
}
