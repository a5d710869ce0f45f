import "server-only";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { ForbiddenError } from "@/lib/errors";

/** The people list for admins. Never selects the password hash. */
export async function listUsers(viewer: SessionUser) {
  if (!can(viewer, "user:manage")) throw new ForbiddenError();
  return db.user.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    take: 500,
    select: { id: true, email: true, name: true, role: true, active: true, lastLoginAt: true },
  });
}
