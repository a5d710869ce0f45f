"use server";
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction, type ActionResult } from "@/lib/action";
import { signIn, signOut } from "@/lib/auth";
import { currentUser } from "@/lib/auth/guards";
import { endOwnSessions } from "@/lib/auth/sessions";
import { safeCallbackUrl, SignInSchema } from "@/lib/auth/schemas";
import { MfaSignInSchema } from "@/lib/auth/mfa/schemas";
import { MfaRequiredError } from "@/lib/auth/mfa/sign-in";
import { createCaptchaChallenge } from "@/lib/captcha/server";
import { RateLimitedError } from "@/lib/errors";
import { SSO_PROVIDER_ID, ssoConfig } from "@/lib/auth/sso/config";
import { getRequestContext } from "@/lib/request-context";

const SIGN_IN_FAILED = "Email or password is incorrect.";
const CAPTCHA_NEEDED = "Please complete the verification below, then sign in again.";
const UNAVAILABLE = "Sign-in is temporarily unavailable. Please try again in a minute.";
const SSO_ONLY = "This account signs in with single sign-on: use the button above the form.";

const MFA_WRONG_CODE = "That code is not right. Try the newest code from your app.";
const MFA_EXPIRED = "That took too long. Sign in again with your password.";
const MFA_NEEDED = "Enter the code from your authenticator app.";

/**
 * What the login form learns from a failed attempt. `captcha`: show the proof-of-work widget.
 * `mfaToken`: the password was right; ask for a code and send it back with this token.
 */
export type SignInResult = ActionResult<never> & {
  captcha?: boolean;
  retryAfterSeconds?: number;
  mfaToken?: string;
  mfaExpired?: boolean;
};

const CaptchaFieldSchema = z.string().max(4096).optional();

/** Turns the refusal codes of lib/auth/sign-in.ts into what the person sees. */
function failureFrom(error: AuthError): SignInResult {
  const code = error instanceof CredentialsSignin ? error.code : "";
  const limited = /^rate_limited_(\d+)$/.exec(code);
  if (limited) {
    const seconds = Number(limited[1]);
    return {
      ok: false,
      formError: new RateLimitedError(seconds).message,
      retryAfterSeconds: seconds,
      captcha: false,
    };
  }
  if (code === "captcha_required") return { ok: false, formError: CAPTCHA_NEEDED, captcha: true };
  if (code === "captcha_next") return { ok: false, formError: SIGN_IN_FAILED, captcha: true };
  if (code === "unavailable") return { ok: false, formError: UNAVAILABLE };
  if (code === "sso_only") return { ok: false, formError: SSO_ONLY };
  if (error instanceof MfaRequiredError) {
    return { ok: false, formError: MFA_NEEDED, mfaToken: error.mfaToken };
  }
  if (code === "mfa_wrong_code") return { ok: false, formError: MFA_WRONG_CODE };
  if (code === "mfa_expired") return { ok: false, formError: MFA_EXPIRED, mfaExpired: true };
  return { ok: false, formError: SIGN_IN_FAILED };
}

/**
 * Sign-in is the one action that cannot go through defineAction: there is no user yet. It
 * validates with the same schema as the form, and lib/auth/sign-in.ts throttles and audits
 * every attempt.
 */
export async function signInAction(raw: unknown): Promise<SignInResult> {
  const parsed = SignInSchema.safeParse(raw);
  const altcha = CaptchaFieldSchema.safeParse((raw as { altcha?: unknown })?.altcha);
  if (!parsed.success || !altcha.success) return { ok: false, formError: SIGN_IN_FAILED };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      ...(altcha.data ? { altcha: altcha.data } : {}),
      redirectTo: safeCallbackUrl(parsed.data.callbackUrl),
    });
  } catch (error) {
    if (error instanceof AuthError) return failureFrom(error);
    throw error; // NEXT_REDIRECT on success
  }
  return { ok: false, formError: SIGN_IN_FAILED };
}

/**
 * The login page's single sign-on button: Auth.js redirects to the identity provider (with
 * PKCE, state and nonce in short-lived cookies). Not through defineAction: nobody is signed in.
 */
export async function ssoSignInAction(formData: FormData): Promise<void> {
  if (!ssoConfig()) redirect("/login");
  const callbackUrl = formData.get("callbackUrl");
  await signIn(SSO_PROVIDER_ID, {
    redirectTo: safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined),
  });
}

/** The second step for accounts with MFA: the token from the password step and a code. */
export async function mfaSignInAction(raw: unknown): Promise<SignInResult> {
  const parsed = MfaSignInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, formError: MFA_WRONG_CODE };
  try {
    await signIn("mfa", {
      mfaToken: parsed.data.mfaToken,
      code: parsed.data.code,
      redirectTo: safeCallbackUrl(parsed.data.callbackUrl),
    });
  } catch (error) {
    if (error instanceof AuthError) return failureFrom(error);
    throw error; // NEXT_REDIRECT on success
  }
  return { ok: false, formError: MFA_WRONG_CODE };
}

/** A fresh signed proof-of-work challenge for the login form's CAPTCHA widget. */
export async function captchaChallengeAction() {
  return createCaptchaChallenge();
}

export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  // Not through defineAction: signing out must work for every session, whatever it may do. A JWT
  // cannot be revoked on its own, and requests still in flight (prefetches) would set the old
  // cookie again after signOut() cleared it: revoking makes the token worthless everywhere.
  if (user)
    await endOwnSessions({ actor: user, request: await getRequestContext() }, "auth.sign_out");
  await signOut({ redirectTo: "/login" });
}

/** Ends every session of the signed-in user, this one included. */
export const signOutEverywhereAction = defineAction({
  name: "auth.sign_out_everywhere",
  schema: z.object({}),
  permission: "account:manage",
  allowDuringPasswordChange: true,
  async handler(_input, ctx) {
    await endOwnSessions(ctx, "auth.sign_out_everywhere");
    await signOut({ redirectTo: "/login?signedOut=everywhere" });
  },
});
