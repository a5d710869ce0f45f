import { z } from "zod";
import { storable } from "@/lib/text";
import { EmailSchema } from "@/lib/auth/schemas";
import { RoleSchema, UserNameSchema } from "@/lib/users/schemas";

// Admin user-management inputs. Shared by the client forms (zodResolver) and the server actions:
// no server-only code here.

/** Ids come from the client: only their shape is checked here, the service re-reads the row. */
export const UserIdSchema = z
  .string({ error: "Choose a user." })
  .trim()
  .min(1, "Choose a user.")
  .max(64, "Choose a user.")
  .refine(storable, "Choose a user.");

/** The admin never types a password: the server generates a one-time password. */
export const UserAdminCreateSchema = z.object({
  email: EmailSchema,
  name: UserNameSchema,
  role: RoleSchema,
});
export type UserAdminCreateInput = z.input<typeof UserAdminCreateSchema>;

/**
 * A service account (ADR 025): an integration's identity for API tokens. No email or password:
 * the server makes a non-mail sign-in name and an unusable password, and refuses it any sign-in.
 */
export const ServiceAccountCreateSchema = z.object({ name: UserNameSchema, role: RoleSchema });
export type ServiceAccountCreateInput = z.input<typeof ServiceAccountCreateSchema>;

export const UserRoleChangeSchema = z.object({ userId: UserIdSchema, role: RoleSchema });
export type UserRoleChangeInput = z.input<typeof UserRoleChangeSchema>;

export const UserActiveChangeSchema = z.object({ userId: UserIdSchema, active: z.boolean() });

export const UserRefSchema = z.object({ userId: UserIdSchema });

export const ReauthSchema = z.object({
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "Enter your password."),
});
export type ReauthInput = z.input<typeof ReauthSchema>;

export const USER_STATUS_FILTERS = ["active", "inactive"] as const;

/** The users list's URL parameters; anything unexpected is dropped, never an error page. */
export const UserListFilterSchema = z.object({
  q: z.string().trim().max(100).refine(storable).optional().catch(undefined),
  role: RoleSchema.optional().catch(undefined),
  status: z.enum(USER_STATUS_FILTERS).optional().catch(undefined),
});
export type UserListFilter = z.output<typeof UserListFilterSchema>;
