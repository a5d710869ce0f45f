"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, type ActionContext } from "@/lib/action";
import { env } from "@/lib/env";
import { MfaCodeFormSchema } from "@/lib/auth/mfa/schemas";
import {
  confirmEnrollment,
  disableMfa,
  regenerateRecoveryCodes,
  startEnrollment,
} from "@/lib/auth/mfa/service";

// One's own two-factor authentication ("account:manage": open to staff who still have to
// enroll). Codes and recovery codes are never logged: the action wrapper logs no input.

const actorOf = ({ user }: ActionContext) => ({ id: user.id, role: user.role, email: user.email });

export const startMfaEnrollmentAction = defineAction({
  name: "account.mfa_enrollment_start",
  schema: z.object({}),
  permission: "account:manage",
  async handler(_input, ctx) {
    await startEnrollment(actorOf(ctx), ctx.request);
    revalidatePath("/account/mfa");
    return null;
  },
});

/** Returns the 10 recovery codes: the only time they are ever shown. */
export const confirmMfaEnrollmentAction = defineAction({
  name: "account.mfa_enable",
  schema: MfaCodeFormSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    return confirmEnrollment(actorOf(ctx), input.code, ctx.request);
  },
});

export const regenerateRecoveryCodesAction = defineAction({
  name: "account.mfa_recovery_regenerate",
  schema: MfaCodeFormSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    return regenerateRecoveryCodes(actorOf(ctx), input.code, ctx.request);
  },
});

export const disableMfaAction = defineAction({
  name: "account.mfa_disable",
  schema: MfaCodeFormSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    await disableMfa(actorOf(ctx), input.code, env().TESSERA_STAFF_MFA, ctx.request);
    revalidatePath("/account/mfa");
    return null;
  },
});
