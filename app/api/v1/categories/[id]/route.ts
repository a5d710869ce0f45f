import { API_OPERATIONS } from "@/lib/api/operations";
import { categoryView } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import {
  renameCategory,
  setCategoryArchived,
  setCategoryDefaultAssignee,
} from "@/lib/categories/service";

export const dynamic = "force-dynamic";

/** The admin page's three changes, each its own audited service call. */
export const PATCH = apiRoute(
  API_OPERATIONS["categories.update"],
  async ({ params, body }, { service }) => {
    const categoryId = params.id;
    if (body.name !== undefined) await renameCategory(service, { categoryId, name: body.name });
    if (body.archived !== undefined) {
      await setCategoryArchived(service, { categoryId, archived: body.archived });
    }
    if (body.defaultAssigneeId !== undefined) {
      await setCategoryDefaultAssignee(service, {
        categoryId,
        defaultAssigneeId: body.defaultAssigneeId,
      });
    }
    const row = await db.category.findUnique({ where: { id: categoryId } });
    if (!row) throw new NotFoundError("Category not found.");
    return categoryView(row);
  },
);
