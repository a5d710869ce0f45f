"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { confirmPassword, readReauthToken, setReauthCookie } from "@/lib/auth/reauth";
import { db } from "@/lib/db";
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
  type AdminContext,
} from "@/lib/users/admin-service";
import type { ActionContext } from "@/lib/action";

async function adminContext({ user, request }: ActionContext): Promise<AdminContext> {
  return {
    actor: { id: user.id, role: user.role, email: user.email },
    request,
    reauthToken: await readReauthToken(),
  };
}

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
    const { user, oneTimePassword } = await createUserByAdmin(await adminContext(ctx), input);
    revalidateUser();
    return { id: user.id, email: user.email, oneTimePassword };
  },
});

export const changeUserRoleAction = defineAction({
  name: "user.role_change",
  schema: UserRoleChangeSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await changeUserRole(await adminContext(ctx), input);
    revalidateUser(input.userId);
    return result;
  },
});

export const setUserActiveAction = defineAction({
  name: "user.set_active",
  schema: UserActiveChangeSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await setUserActive(await adminContext(ctx), input);
    revalidateUser(input.userId);
    return result;
  },
});

export const signOutEverywhereAction = defineAction({
  name: "user.sign_out_everywhere",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    await signOutEverywhere(await adminContext(ctx), input);
    revalidateUser(input.userId);
    return null;
  },
});

export const resetUserPasswordAction = defineAction({
  name: "user.password_reset",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await resetUserPassword(await adminContext(ctx), input);
    revalidateUser(input.userId);
    return result;
  },
});

export const resetUserMfaAction = defineAction({
  name: "user.mfa_reset",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const result = await resetUserMfa(await adminContext(ctx), input);
    revalidateUser(input.userId);
    return result;
  },
});

/** Fresh password confirmation for the admin's own sensitive actions (15 minutes). */
export const confirmPasswordAction = defineAction({
  name: "auth.reauth",
  schema: ReauthSchema,
  permission: "user:manage",
  async handler(input, { user, request }) {
    const { token } = await confirmPassword(
      db,
      { id: user.id, role: user.role, email: user.email },
      input.password,
      request,
    );
    await setReauthCookie(token);
    revalidatePath("/admin", "layout");
    return null;
  },
});
