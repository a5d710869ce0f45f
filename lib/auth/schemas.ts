// Shared by the login form (client) and the sign-in code (server).
import { z } from "zod";

/**
 * The account's sign-in name. Trimmed and lower-cased before validation: emails are stored
 * lower-case (a CHECK enforces it).
 */
export const EmailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const SignInSchema = z.object({
  email: EmailSchema,
  // No policy here: an existing password is checked, not judged. The bound keeps bcrypt work fixed.
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024),
  callbackUrl: z.string().max(2048).optional(),
});
export type SignInInput = z.infer<typeof SignInSchema>;

/** Only same-site relative paths may be a post-login destination (no open redirects). */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return "/";
  }
  // Control characters (CR/LF above all) cannot go into a Location header: Node refuses the
  // header and the sign-in answered 500. Backslashes are read as slashes by browsers.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  if (value.startsWith("/login") || value.startsWith("/api/")) return "/";
  return value;
}

/** "Forgot password": the address to send a link to. */
export const ForgotPasswordSchema = z.object({ email: EmailSchema });
export type ForgotPasswordInput = z.infer<typeof ForgotPasswordSchema>;
