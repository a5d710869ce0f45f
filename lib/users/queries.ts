import "server-only";
import { db } from "@/lib/db";
import { assertCan } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import { escapeLike, storable } from "@/lib/text";
import type { UserListFilter } from "@/lib/users/admin-schemas";
import type { Viewer } from "@/lib/service-context";

export const USER_LIST_LIMIT = 200;

const LIST_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  mustChangePassword: true,
  lastLoginAt: true,
  createdAt: true,
  mfaEnabledAt: true,
  kind: true,
} as const;

/**
 * The people list for admins: search by name or email, filter by role and status. Never
 * selects the password hash. At most USER_LIST_LIMIT rows (`truncated` says when more matched):
 * a search narrows it down.
 */
export async function listUsers(viewer: Viewer, filter: UserListFilter = {}) {
  assertCan(viewer, "user:manage");
  const where: Prisma.UserWhereInput = {
    ...(filter.q && {
      OR: [
        { name: { contains: escapeLike(filter.q), mode: "insensitive" } },
        { email: { contains: escapeLike(filter.q), mode: "insensitive" } },
      ],
    }),
    ...(filter.role && { role: filter.role }),
    ...(filter.status && { active: filter.status === "active" }),
  };
  const rows = await db.user.findMany({
    where,
    orderBy: [{ active: "desc" }, { name: "asc" }, { id: "asc" }],
    take: USER_LIST_LIMIT + 1,
    select: LIST_SELECT,
  });
  return { users: rows.slice(0, USER_LIST_LIMIT), truncated: rows.length > USER_LIST_LIMIT };
}

/** One user's page: account facts, ticket counts and the latest events about them. */
export async function getUserForAdmin(viewer: Viewer, userId: string) {
  assertCan(viewer, "user:manage");
  if (userId.length > 64 || !storable(userId)) return null; // a hand-edited URL
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { ...LIST_SELECT, sessionVersion: true, updatedAt: true },
  });
  if (!user) return null;
  const [requested, assigned, events] = await Promise.all([
    db.ticket.count({ where: { requesterId: userId, deletedAt: null } }),
    db.ticket.count({ where: { assigneeId: userId, deletedAt: null } }),
    db.auditEvent.findMany({
      where: { entityType: "User", entityId: userId },
      orderBy: { id: "desc" },
      take: 10,
      select: { id: true, createdAt: true, action: true, outcome: true, actorEmail: true },
    }),
  ]);
  return { user, tickets: { requested, assigned }, events };
}

/** Active technicians and admins, for the categories' "default assignee" pickers. */
export async function listStaffOptions(viewer: Viewer) {
  assertCan(viewer, "category:manage");
  return db.user.findMany({
    where: { active: true, role: { in: ["TECHNICIAN", "ADMIN"] } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 500,
    select: { id: true, name: true, email: true, role: true },
  });
}
