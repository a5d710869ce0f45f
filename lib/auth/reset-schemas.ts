// Shared by the "choose a new password" form (client) and the reset action (server).
import { z } from "zod";
import { PasswordSchema } from "@/lib/auth/password-policy";

/** The emailed token: 32 random bytes, base64url (43 characters). */
export const ResetTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "This link is not complete. Copy the whole link from the email.");

export const ResetPasswordSchema = z
  .object({
    token: ResetTokenSchema,
    newPassword: PasswordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.confirmPassword === v.newPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match.",
  });
export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>;
