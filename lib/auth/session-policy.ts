// Session lifetimes per role. Edge-safe (used by the Auth.js jwt callback in the middleware) and
// free of "server-only" so unit tests import it directly. Configured by environment variables,
// in minutes; defaults follow SECURITY.md: staff 30 min idle / 12 h absolute, users
// 7 days idle / 30 days absolute.
import type { Role } from "@/lib/auth/permissions";

export type SessionLifetimes = { idleSeconds: number; absoluteSeconds: number };
export type SessionPolicy = Record<"staff" | "user", SessionLifetimes>;

const MINUTE = 60;

function minutes(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback * MINUTE;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive whole number of minutes (got "${raw}")`);
  }
  return value * MINUTE;
}

export function sessionPolicy(
  env: Record<string, string | undefined> = process.env,
): SessionPolicy {
  return {
    staff: {
      idleSeconds: minutes(env, "SESSION_STAFF_IDLE_MINUTES", 30),
      absoluteSeconds: minutes(env, "SESSION_STAFF_ABSOLUTE_MINUTES", 12 * 60),
    },
    user: {
      idleSeconds: minutes(env, "SESSION_USER_IDLE_MINUTES", 7 * 24 * 60),
      absoluteSeconds: minutes(env, "SESSION_USER_ABSOLUTE_MINUTES", 30 * 24 * 60),
    },
  };
}

export function lifetimesFor(
  role: Role,
  policy: SessionPolicy = sessionPolicy(),
): SessionLifetimes {
  return role === "USER" ? policy.user : policy.staff;
}

/** The cookie and JWT lifetime: the longest absolute lifetime of any role. */
export function cookieMaxAgeSeconds(policy: SessionPolicy = sessionPolicy()): number {
  return Math.max(policy.staff.absoluteSeconds, policy.user.absoluteSeconds);
}

export type SessionTimes = { authTime: number; lastSeen: number };

/** Why a session is over, or null while it is alive. Times are Unix seconds. */
export function sessionExpiry(
  role: Role,
  times: SessionTimes,
  now: number,
  policy: SessionPolicy = sessionPolicy(),
): "idle" | "absolute" | null {
  const limits = lifetimesFor(role, policy);
  if (now - times.authTime >= limits.absoluteSeconds) return "absolute";
  if (now - times.lastSeen >= limits.idleSeconds) return "idle";
  return null;
}
