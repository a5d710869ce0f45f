import { z } from "zod";
import { COMMON_PASSWORDS_TEXT } from "@/lib/auth/common-passwords";

// The password policy (SECURITY.md, NIST SP 800-63B): a length range and a list of
// common passwords, no composition rules. Pure and browser-safe, so forms validate instantly
// with the same schema the server enforces.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_RECOMMENDED_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;

// Words that are "common" for this particular product, on top of the public list.
const PRODUCT_WORDS = [
  "tessera",
  "helpdesk",
  "servicedesk",
  "changeme",
  "welcome",
  "administrator",
  "technician",
];

let commonSet: Set<string> | undefined;
function common(): Set<string> {
  commonSet ??= new Set([...COMMON_PASSWORDS_TEXT.split("\n"), ...PRODUCT_WORDS]);
  return commonSet;
}

/** Length in characters as a person counts them (code points, so an emoji counts once). */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

/**
 * True for a listed password (case-insensitive), a listed word with only digits or symbols
 * around it ("Sunshine2024!"), or one unit repeated ("abcabcabcabc", "passwordpassword").
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize("NFKC").toLowerCase();
  const list = common();
  if (list.has(lower)) return true;
  if (/^(.+?)\1+$/su.test(lower)) return true;
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  return core !== lower && list.has(core);
}

/** Messages are written for the person filling the form. */
export const PasswordSchema = z
  .string({ error: "Enter a password." })
  .superRefine((password, ctx) => {
    const length = passwordLength(password);
    if (length < PASSWORD_MIN_LENGTH) {
      ctx.addIssue({
        code: "custom",
        message: `Use at least ${PASSWORD_MIN_LENGTH} characters (${PASSWORD_RECOMMENDED_LENGTH} or more is better). A few unrelated words work well.`,
      });
    } else if (length > PASSWORD_MAX_LENGTH) {
      ctx.addIssue({ code: "custom", message: `Use at most ${PASSWORD_MAX_LENGTH} characters.` });
    } else if (isCommonPassword(password)) {
      ctx.addIssue({
        code: "custom",
        message:
          "This password is too common and easy to guess. Try a few unrelated words instead.",
      });
    }
  });
