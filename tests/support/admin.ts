// Helpers for the admin flows: the last-admin guard and fresh password confirmations.
import type { Db } from "@/lib/db";
import { uniqueSuffix } from "@/tests/support/factories";

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

/**
 * A fresh password confirmation (sudo mode) for `user` without typing the password: recorded in
 * the database and, when `jar` is given, held by that browser's cookie. Returns the token.
 */
export async function confirmedFor(
  db: Db,
  user: { id: string },
  jar?: Map<string, string>,
): Promise<string> {
  // Imported here, not at the top: lib/auth/reauth loads next/headers, which a test file mocks
  // with a factory that must not run before the file's own imports.
  const { hashReauthToken, REAUTH_COOKIE } = await import("@/lib/auth/reauth");
  const token = `reauth-${uniqueSuffix()}`;
  await db.$executeRaw`
    UPDATE "User" SET "reauthenticatedAt" = now(), "reauthTokenHash" = ${hashReauthToken(token)}
    WHERE id = ${user.id}`;
  jar?.set(REAUTH_COOKIE, token);
  return token;
}
