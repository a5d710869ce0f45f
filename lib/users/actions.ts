"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { confirmPassword, setReauthCookie } from "@/lib/auth/reauth";
import {
  ReauthSchema,
  UserActiveChangeSchema,
  UserAdminCreateSchema,
  UserRefSchema,
  UserRoleChangeSchema,
} from "@/lib/users/admin-schemas";
import {
  changeUserRole,
  createUserByAdmin,
  resetUserMfa,
  resetUserPassword,
  setUserActive,
  signOutEverywhere,
} from "@/lib/users/admin-service";

function revalidateUser(userId?: string) {
  revalidatePath("/admin/users");
  if (userId) revalidatePath(`/admin/users/${userId}`);
}

/** The one-time password is in the result: shown once to the admin, stored nowhere in clear. */
export const createUserAction = defineAction({
  name: "user.create",
  schema: UserAdminCreateSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const { user, oneTimePassword } = await createUserByAdmin(ctx, input);
    revalidateUser();
    return { id: user.id, email: user.email, oneTimePassword };
  },
});

export const changeUserRoleAction = defineAction({
  name: "user.role_change",
  schema: UserRoleChangeSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await changeUserRole(ctx, input);
    revalidateUser(input.userId);
    return result;
  },
});

export const setUserActiveAction = defineAction({
  name: "user.set_active",
  schema: UserActiveChangeSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await setUserActive(ctx, input);
    revalidateUser(input.userId);
    return result;
  },
});

export const signOutEverywhereAction = defineAction({
  name: "user.sign_out_everywhere",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    await signOutEverywhere(ctx, input);
    revalidateUser(input.userId);
    return null;
  },
});

export const resetUserPasswordAction = defineAction({
  name: "user.password_reset",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await resetUserPassword(ctx, input);
    revalidateUser(input.userId);
    return result;
  },
});

export const resetUserMfaAction = defineAction({
  name: "user.mfa_reset",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await resetUserMfa(ctx, input);
    revalidateUser(input.userId);
    return result;
  },
});

/** Fresh password confirmation for the admin's own sensitive actions (15 minutes). */
export const confirmPasswordAction = defineAction({
  name: "auth.reauth",
  schema: ReauthSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const { token } = await confirmPassword(ctx, input);
    await setReauthCookie(token);
    revalidatePath("/admin", "layout");
    return null;
  },
});
