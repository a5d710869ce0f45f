// MFA inputs, shared by the forms (zodResolver) and the server. No server-only code here.
import { z } from "zod";

/** A 6-digit TOTP code; spaces are allowed ("123 456") and removed. */
export const TotpCodeSchema = z
  .string({ error: "Enter the 6-digit code from your app." })
  .max(20, "Enter the 6-digit code from your app.")
  .transform((v) => v.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your app."));

/** "abcde-fghij" (case, spaces and the dash are forgiven). */
export const RecoveryCodeSchema = z
  .string({ error: "Enter one of your recovery codes." })
  .max(40, "Enter one of your recovery codes.")
  .transform((v) => v.toLowerCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[a-z2-7]{10}$/, "Enter one of your recovery codes."));

/** Either kind, for the sign-in step: 6 digits is a TOTP code, anything else a recovery code. */
export const SecondFactorCodeSchema = z
  .string({ error: "Enter a code." })
  .trim()
  .min(1, "Enter a code.")
  .max(40, "Enter a code.");

export const MfaSignInSchema = z.object({
  mfaToken: z.string().min(1).max(4096),
  code: SecondFactorCodeSchema,
  callbackUrl: z.string().max(2048).optional(),
});

export const MfaCodeFormSchema = z.object({ code: TotpCodeSchema });
export type MfaCodeFormInput = z.input<typeof MfaCodeFormSchema>;

/** Turning MFA on: the account's password as well as a code from the new secret. */
export const MfaEnableFormSchema = z.object({
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "Enter your password."),
  code: TotpCodeSchema,
});
export type MfaEnableFormInput = z.input<typeof MfaEnableFormSchema>;
