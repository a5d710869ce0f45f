"use server";
// "Forgot password" and "choose a new password": like sign-in, no user is signed in, so these two
// cannot go through defineAction. They validate with the forms' schemas, and the service
// (lib/auth/password-reset.ts) throttles and audits every attempt.
import { after } from "next/server";
import { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import { INVALID_INPUT_MESSAGE } from "@/lib/action-result";
import {
  admitResetAttempt,
  resetPassword,
  RESET_REQUESTED,
  sendResetLink,
} from "@/lib/auth/password-reset";
import { ResetPasswordSchema } from "@/lib/auth/reset-schemas";
import { ForgotPasswordSchema } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { getRequestContext } from "@/lib/request-context";

const GENERIC = "Something went wrong on our side. Please try again.";

function invalid(error: z.ZodError): ActionResult<never> {
  const flat = z.flattenError(error);
  return {
    ok: false,
    formError: flat.formErrors[0] ?? INVALID_INPUT_MESSAGE,
    fieldErrors: flat.fieldErrors,
  };
}

export async function forgotPasswordAction(raw: unknown): Promise<ActionResult<string>> {
  const parsed = ForgotPasswordSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const request = await getRequestContext();
  // Only the per-ip limit answers differently (it says nothing about the address). The rest runs
  // after the answer is sent, so an existing address does not answer slower than an unknown one.
  try {
    await admitResetAttempt(request);
  } catch (error) {
    if (error instanceof AppError) return { ok: false, formError: error.message };
    throw error;
  }
  after(() =>
    sendResetLink(parsed.data.email, request).catch((err: unknown) =>
      requestLogger(request.requestId, { action: "auth.password_reset_request" }).error(
        { err },
        "password reset request failed",
      ),
    ),
  );
  return { ok: true, data: RESET_REQUESTED };
}

export async function resetPasswordAction(raw: unknown): Promise<ActionResult<{ email: string }>> {
  const parsed = ResetPasswordSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const request = await getRequestContext();
  try {
    return { ok: true, data: await resetPassword(parsed.data, request) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, formError: error.message, fieldErrors: error.fieldErrors };
    }
    requestLogger(request.requestId, { action: "auth.password_reset" }).error(
      { err: error },
      "password reset failed",
    );
    return { ok: false, formError: `${GENERIC} (reference ${request.requestId})` };
  }
}
