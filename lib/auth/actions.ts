"use server";
import { AuthError } from "next-auth";
import { defineAction, type ActionResult } from "@/lib/action";
import { recordAuditStandalone } from "@/lib/audit";
import { signIn, signOut } from "@/lib/auth";
import { currentUser } from "@/lib/auth/guards";
import { safeCallbackUrl, SignInSchema } from "@/lib/auth/schemas";
import { db } from "@/lib/db";
import { getRequestContext } from "@/lib/request-context";
import { PasswordChangeSchema } from "@/lib/users/schemas";
import { changePassword } from "@/lib/users/service";

const SIGN_IN_FAILED = "Email or password is incorrect.";

/**
 * Sign-in is the one action that cannot go through defineAction: there is no user yet. It
 * validates with the same schema as the form, and lib/auth/sign-in.ts audits every attempt.
 */
export async function signInAction(raw: unknown): Promise<ActionResult<never>> {
  const parsed = SignInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, formError: SIGN_IN_FAILED };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallbackUrl(parsed.data.callbackUrl),
    });
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, formError: SIGN_IN_FAILED };
    throw error; // NEXT_REDIRECT on success
  }
  return { ok: false, formError: SIGN_IN_FAILED };
}

export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) {
    await recordAuditStandalone(db, {
      actor: { id: user.id, role: user.role, email: user.email },
      action: "auth.sign_out",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      context: await getRequestContext(),
    });
  }
  await signOut({ redirectTo: "/login" });
}

export const changePasswordAction = defineAction({
  name: "account.password_change",
  schema: PasswordChangeSchema,
  permission: "account:manage",
  async handler(input, { user, request }) {
    await changePassword(
      db,
      { userId: user.id, currentPassword: input.currentPassword, newPassword: input.newPassword },
      request,
    );
    // The change bumped sessionVersion, which ends every other session; sign this one in again.
    await signIn("credentials", {
      email: user.email,
      password: input.newPassword,
      redirectTo: "/?passwordChanged=1",
    });
  },
});
