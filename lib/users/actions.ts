"use server";
// One's own password (account:manage), then the admins' user management (user:manage).
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { defineAction } from "@/lib/action";
import { signIn, signOut } from "@/lib/auth";
import { MfaRequiredError } from "@/lib/auth/mfa/sign-in";
import { confirmPassword, setReauthCookie } from "@/lib/auth/reauth";
import { enforceUserLimit } from "@/lib/rate-limit";
import type { ServiceContext } from "@/lib/service-context";
import { changePassword } from "@/lib/users/account";
import {
  ReauthSchema,
  ServiceAccountCreateSchema,
  UserActiveChangeSchema,
  UserAdminCreateSchema,
  UserRefSchema,
  UserRoleChangeSchema,
} from "@/lib/users/admin-schemas";
import {
  changeUserRole,
  createServiceAccount,
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

/** A service account (ADR 025): its tokens are made on its page afterwards. */
export const createServiceAccountAction = defineAction({
  name: "user.create",
  schema: ServiceAccountCreateSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const { user } = await createServiceAccount(ctx, input);
    revalidateUser();
    return { id: user.id, email: user.email };
  },
});

/**
 * An admin's change to one existing user: the service does the work (and audits it), then that
 * user's pages are revalidated. Name and schema as in defineAction.
 */
function userChangeAction<S extends z.ZodType<{ userId: string }>, T>(
  name: string,
  schema: S,
  service: (ctx: ServiceContext, input: z.output<S>) => Promise<T>,
) {
  return defineAction({
    name,
    schema,
    permission: "user:manage",
    async handler(input, ctx) {
      const result = await service(ctx, input);
      revalidateUser(input.userId);
      return result;
    },
  });
}

export const changeUserRoleAction = userChangeAction(
  "user.role_change",
  UserRoleChangeSchema,
  changeUserRole,
);

export const setUserActiveAction = userChangeAction(
  "user.set_active",
  UserActiveChangeSchema,
  setUserActive,
);

/** Ends every session of another user (an admin's "Sign out everywhere" on their page). */
export const signOutUserEverywhereAction = userChangeAction(
  "user.sign_out_everywhere",
  UserRefSchema,
  async (ctx, input) => {
    await signOutUserEverywhere(ctx, input);
    return null;
  },
);

export const resetUserPasswordAction = userChangeAction(
  "user.password_reset",
  UserRefSchema,
  resetUserPassword,
);

export const resetUserMfaAction = userChangeAction("user.mfa_reset", UserRefSchema, resetUserMfa);

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
