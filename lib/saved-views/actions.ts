"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import {
  SavedViewCreateSchema,
  SavedViewDeleteSchema,
  SavedViewRenameSchema,
} from "@/lib/saved-views/schemas";
import { createSavedView, deleteSavedView, renameSavedView } from "@/lib/saved-views/service";

export const createSavedViewAction = defineAction({
  name: "saved_view.create",
  schema: SavedViewCreateSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    const view = await createSavedView(ctx, input);
    revalidatePath("/tickets");
    return view;
  },
});

export const renameSavedViewAction = defineAction({
  name: "saved_view.rename",
  schema: SavedViewRenameSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    await renameSavedView(ctx, input);
    revalidatePath("/tickets");
    return null;
  },
});

export const deleteSavedViewAction = defineAction({
  name: "saved_view.delete",
  schema: SavedViewDeleteSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    await deleteSavedView(ctx, input);
    revalidatePath("/tickets");
    return null;
  },
});
