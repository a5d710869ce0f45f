// Shared by the admin-*.test.ts files. Each test file mocks next/headers (the only thing that
// exists inside a Next request) with `requestState()` from here; everything else is real.
import { encode } from "next-auth/jwt";
import type { Db } from "@/lib/db";

export type RequestState = { headers: Headers; cookies: Map<string, string> };

/** The stand-in for next/headers: request headers and a cookie jar actions may write to. */
export function nextHeadersMock(state: RequestState) {
  return {
    headers: async () => state.headers,
    cookies: async () => ({
      get: (name: string) =>
        state.cookies.has(name) ? { name, value: state.cookies.get(name)! } : undefined,
      getAll: () => [...state.cookies].map(([name, value]) => ({ name, value })),
      has: (name: string) => state.cookies.has(name),
      set: (name: string, value: string) => void state.cookies.set(name, value),
      delete: (name: string) => void state.cookies.delete(name),
    }),
  };
}

/**
 * Starts a "new request" as `user` carrying a session cookie with sessionVersion `sv` (what the
 * browser holds), or anonymous. Browser cookies other than the session (the reauth cookie) are
 * kept in `jar` so a test can play several browsers.
 */
export async function actAs(
  state: RequestState,
  user: { id: string; role: string } | null,
  options: { requestId?: string; sv?: number; jar?: Map<string, string> } = {},
) {
  const h = new Headers({
    host: "localhost:3000",
    "x-forwarded-proto": "http",
    "x-request-id": options.requestId ?? `req-${crypto.randomUUID()}`,
    "user-agent": "vitest",
    "x-forwarded-for": "198.51.100.20",
  });
  if (user) {
    const token = await encode({
      token: { sub: user.id, uid: user.id, role: user.role as "USER", sv: options.sv ?? 1 },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    });
    h.set("cookie", `authjs.session-token=${token}`);
  }
  state.headers = h;
  state.cookies = options.jar ?? new Map();
}

/**
 * Runs `fn` with `keep` as the ONLY active admins of the shared test database (the last-admin
 * guard counts every active admin); the others are restored afterwards.
 */
export async function withOnlyAdmins<T>(db: Db, keep: string[], fn: () => Promise<T>) {
  const others = await db.user.findMany({
    where: { role: "ADMIN", active: true, id: { notIn: keep } },
    select: { id: true },
  });
  const ids = others.map((o) => o.id);
  await db.user.updateMany({ where: { id: { in: ids } }, data: { active: false } });
  try {
    return await fn();
  } finally {
    await db.user.updateMany({ where: { id: { in: ids } }, data: { active: true } });
  }
}
