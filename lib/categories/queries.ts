import "server-only";
import { db } from "@/lib/db";

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
