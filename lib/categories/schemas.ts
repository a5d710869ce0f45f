import { z } from "zod";
import { NUL_MESSAGE, storable } from "@/lib/text";

// Category inputs, shared by the admin forms (zodResolver) and the server actions.

export const CategoryIdSchema = z
  .string({ error: "Choose a category." })
  .trim()
  .min(1, "Choose a category.")
  .max(64, "Choose a category.")
  .refine(storable, "Choose a category.");

export const CategoryNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(60, "Use at most 60 characters.")
  .refine(storable, NUL_MESSAGE);

/** "" from a select means "nobody". */
export const DefaultAssigneeSchema = z
  .string()
  .trim()
  .max(64)
  .refine(storable, NUL_MESSAGE)
  .nullish()
  .transform((v) => (v ? v : null));

export const CategoryCreateSchema = z.object({
  name: CategoryNameSchema,
  defaultAssigneeId: DefaultAssigneeSchema,
});
export type CategoryCreateInput = z.input<typeof CategoryCreateSchema>;

export const CategoryRenameSchema = z.object({
  categoryId: CategoryIdSchema,
  name: CategoryNameSchema,
});

export const CategoryMoveSchema = z.object({
  categoryId: CategoryIdSchema,
  direction: z.enum(["up", "down"]),
});

export const CategoryArchiveSchema = z.object({
  categoryId: CategoryIdSchema,
  archived: z.boolean(),
});

export const CategoryAssigneeSchema = z.object({
  categoryId: CategoryIdSchema,
  defaultAssigneeId: DefaultAssigneeSchema,
});
