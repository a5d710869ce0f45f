// Lua shared by the Redis (ioredis) and Upstash (REST) stores. Plain EVAL, no shebang flags, so
// stock Redis 6/7 runs them. Each script is one atomic step, like the PostgreSQL upserts.

/**
 * KEYS[1], ARGV[1] = points (may be negative), ARGV[2] = window ms. Returns {count, ttlMs}.
 * Every key gets an expiry when created, so a key without one was created by this INCRBY.
 */
export const HIT_SCRIPT = `
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
if c < 0 then c = 0; redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {c, ttl}
`;

/** KEYS[1]. Returns {count, ttlMs} or nil. */
export const PEEK_SCRIPT = `
local c = redis.call('GET', KEYS[1])
if not c then return nil end
return {tonumber(c), redis.call('PTTL', KEYS[1])}
`;
