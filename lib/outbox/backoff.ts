// Retry schedule: exponential, capped, with jitter so many instances that failed together do not
// retry together. Attempts never stop (an outage of any length loses nothing); an operator sees
// the backlog and lastError in the table (docs/operations.md).
export type BackoffOptions = { baseMs: number; maxMs: number; jitter: number };

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 15 * 60_000, jitter: 0.2 };

/** Delay before the next try after `attempts` failed tries (1 = the first failure). */
export function backoffMs(
  attempts: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const plain = Math.min(options.baseMs * 2 ** exponent, options.maxMs);
  const spread = plain * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(plain + spread));
}
