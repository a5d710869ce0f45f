"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import {
  CategoryArchiveSchema,
  CategoryAssigneeSchema,
  CategoryCreateSchema,
  CategoryMoveSchema,
  CategoryRenameSchema,
} from "@/lib/categories/schemas";
import {
  createCategory,
  moveCategory,
  renameCategory,
  setCategoryArchived,
  setCategoryDefaultAssignee,
} from "@/lib/categories/service";

// New-ticket forms and ticket pages read categories too.
function revalidate() {
  revalidatePath("/admin/categories");
  revalidatePath("/tickets", "layout");
}

export const createCategoryAction = defineAction({
  name: "category.create",
  schema: CategoryCreateSchema,
  permission: "category:manage",
  async handler(input, ctx) {
    const category = await createCategory(ctx, input);
    revalidate();
    return { id: category.id };
  },
});

export const renameCategoryAction = defineAction({
  name: "category.rename",
  schema: CategoryRenameSchema,
  permission: "category:manage",
  async handler(input, ctx) {
    await renameCategory(ctx, input);
    revalidate();
    return null;
  },
});

export const moveCategoryAction = defineAction({
  name: "category.reorder",
  schema: CategoryMoveSchema,
  permission: "category:manage",
  async handler(input, ctx) {
    await moveCategory(ctx, input);
    revalidate();
    return null;
  },
});

export const setCategoryArchivedAction = defineAction({
  name: "category.archive",
  schema: CategoryArchiveSchema,
  permission: "category:manage",
  async handler(input, ctx) {
    await setCategoryArchived(ctx, input);
    revalidate();
    return null;
  },
});

export const setCategoryDefaultAssigneeAction = defineAction({
  name: "category.default_assignee",
  schema: CategoryAssigneeSchema,
  permission: "category:manage",
  async handler(input, ctx) {
    await setCategoryDefaultAssignee(ctx, input);
    revalidate();
    return null;
  },
});
