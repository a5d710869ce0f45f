"use server";
// One's own password (account:manage), then the admins' user management (user:manage).
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { signIn, signOut } from "@/lib/auth";
import { MfaRequiredError } from "@/lib/auth/mfa/sign-in";
import { confirmPassword, setReauthCookie } from "@/lib/auth/reauth";
import { enforceUserLimit } from "@/lib/rate-limit";
import { changePassword } from "@/lib/users/account";
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
  signOutUserEverywhere,
} from "@/lib/users/admin-service";
import { PasswordChangeSchema } from "@/lib/users/schemas";

export const changePasswordAction = defineAction({
  name: "account.password_change",
  schema: PasswordChangeSchema,
  permission: "account:manage",
  allowDuringPasswordChange: true,
  async handler(input, ctx) {
    // Checked before the current password is compared (bcrypt); fails closed if the store is down.
    await enforceUserLimit("passwordChange", ctx.actor.id, { failOpen: false });
    await changePassword(ctx, input);
    // The change revoked every session; sign this one in again. With MFA on, that needs a code:
    // back to the login form (the password step is done anew).
    try {
      await signIn("credentials", {
        email: ctx.actor.email,
        password: input.newPassword,
        redirectTo: "/?passwordChanged=1",
      });
    } catch (error) {
      if (!(error instanceof MfaRequiredError)) throw error;
      await signOut({ redirectTo: "/login?passwordChanged=1" });
    }
  },
});

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

/** Ends every session of another user (an admin's "Sign out everywhere" on their page). */
export const signOutUserEverywhereAction = defineAction({
  name: "user.sign_out_everywhere",
  schema: UserRefSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    await signOutUserEverywhere(ctx, input);
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
