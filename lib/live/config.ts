// Live updates settings, overridable by environment variables (README "Live updates").
// No "server-only": pure numbers, like lib/rate-limit/config.ts.
type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  }
  return value;
}

export function liveConfig(env: Env = process.env) {
  return {
    /** A comment line this often keeps proxies from closing an idle stream; the session is
     * re-checked at the same time. */
    heartbeatMs: int(env, "TESSERA_LIVE_HEARTBEAT_MS", 15_000, 1_000),
    /** Open streams per user and instance (tabs); the next one answers 429. */
    maxPerUser: int(env, "TESSERA_LIVE_MAX_STREAMS_PER_USER", 8, 1),
    /** A presence ("is replying…") without a heartbeat for this long is gone. */
    presenceTtlMs: int(env, "TESSERA_LIVE_PRESENCE_TTL_MS", 30_000, 1_000),
  };
}
