import "server-only";
import { db } from "@/lib/db";
import { assertCan } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/service-context";

/** Categories offered on new-ticket forms: not archived, in the admins' order. */
export async function listActiveCategories() {
  return db.category.findMany({
    where: { archived: false },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, name: true },
  });
}

export async function listAllCategories() {
  return db.category.findMany({
    orderBy: [{ archived: "asc" }, { position: "asc" }, { name: "asc" }],
    select: { id: true, name: true, archived: true, position: true },
  });
}

/** The admin page: every category in the admins' order, with its default assignee and usage. */
export async function listCategoriesForAdmin(viewer: Viewer) {
  assertCan(viewer, "category:manage");
  const rows = await db.category.findMany({
    orderBy: [{ position: "asc" }, { name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      position: true,
      archived: true,
      defaultAssignee: { select: { id: true, name: true, active: true, role: true } },
      _count: { select: { tickets: true } },
    },
  });
  return rows.map(({ _count, ...row }) => ({ ...row, ticketCount: _count.tickets }));
}
