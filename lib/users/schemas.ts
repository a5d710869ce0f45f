import { z } from "zod";
import { NUL_MESSAGE, storable } from "@/lib/text";
import { PasswordSchema } from "@/lib/auth/password-policy";
import { EmailSchema } from "@/lib/auth/schemas";

// Shared by client forms (zodResolver) and the server: no server-only code, no Node imports.

export const ROLES = ["ADMIN", "TECHNICIAN", "USER"] as const;
export const RoleSchema = z.enum(ROLES, { error: "Choose a role." });

export const UserNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine(storable, NUL_MESSAGE);

export const UserCreateSchema = z.object({
  email: EmailSchema,
  name: UserNameSchema,
  role: RoleSchema,
  password: PasswordSchema,
  mustChangePassword: z.boolean().default(false),
  /** SERVICE: an integration's account (API tokens only, never a sign-in; ADR 025). */
  kind: z.enum(["PERSON", "SERVICE"]).default("PERSON"),
});
export type UserCreateInput = z.input<typeof UserCreateSchema>;

export const PasswordChangeSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(1024),
    newPassword: PasswordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.confirmPassword === v.newPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match.",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from your current one.",
  });
export type PasswordChangeInput = z.infer<typeof PasswordChangeSchema>;
