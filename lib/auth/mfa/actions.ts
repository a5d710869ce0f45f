"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/action";
import { MfaCodeFormSchema, MfaEnableFormSchema } from "@/lib/auth/mfa/schemas";
import {
  confirmEnrollment,
  disableMfa,
  regenerateRecoveryCodes,
  startEnrollment,
} from "@/lib/auth/mfa/service";

// One's own two-factor authentication ("account:manage": open to staff who still have to
// enroll). Codes and recovery codes are never logged: the action wrapper logs no input.

export const startMfaEnrollmentAction = defineAction({
  name: "account.mfa_enrollment_start",
  schema: z.object({}),
  permission: "account:manage",
  async handler(_input, ctx) {
    await startEnrollment(ctx);
    revalidatePath("/account/mfa");
    return null;
  },
});

/**
 * Needs the password and a code. Ends every session of the account, this one included: after
 * saving the recovery codes the person signs in again, with a code (like a password change on an
 * MFA account). No cookie is touched here, so the page is not re-rendered and the codes stay on
 * screen. Returns the 10 recovery codes: the only time they are ever shown.
 */
export const confirmMfaEnrollmentAction = defineAction({
  name: "account.mfa_enable",
  schema: MfaEnableFormSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    const { recoveryCodes } = await confirmEnrollment(ctx, input);
    return { recoveryCodes };
  },
});

export const regenerateRecoveryCodesAction = defineAction({
  name: "account.mfa_recovery_regenerate",
  schema: MfaCodeFormSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    return regenerateRecoveryCodes(ctx, input);
  },
});

export const disableMfaAction = defineAction({
  name: "account.mfa_disable",
  schema: MfaCodeFormSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    await disableMfa(ctx, input);
    revalidatePath("/account/mfa");
    return null;
  },
});
