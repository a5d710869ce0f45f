// Personal access tokens (ADR 025): the inputs of the account page's and the admin's forms and of
// their server actions, parsed by both. Client-safe. Which scopes the OWNER's role allows is
// decided by the service (lib/api-tokens/service.ts, with a field error on "scopes"): the form
// only offers those, but a hand-made request may ask for more.
import { z } from "zod";
import { API_SCOPE_NAMES, type ApiScope } from "@/lib/api-tokens/scopes";
import { NUL_MESSAGE, storable } from "@/lib/text";

export const TOKEN_NAME_MAX = 80;
/** Active (neither revoked nor expired) tokens one account may hold. */
export const ACTIVE_TOKENS_MAX = 50;

/** Lifetimes offered, in days; "never": no expiry (a service account's long-lived token). */
export const TOKEN_EXPIRY_CHOICES = ["7", "30", "90", "365", "never"] as const;
export type TokenExpiryChoice = (typeof TOKEN_EXPIRY_CHOICES)[number];
export const DEFAULT_TOKEN_EXPIRY: TokenExpiryChoice = "90";
export const TOKEN_EXPIRY_LABELS: Record<TokenExpiryChoice, string> = {
  "7": "7 days",
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
  never: "No expiry",
};

/** When a token created at `now` with this choice expires (null: never). */
export function expiryDate(choice: TokenExpiryChoice, now = new Date()): Date | null {
  if (choice === "never") return null;
  return new Date(now.getTime() + Number(choice) * 86_400_000);
}

const id = (what: string) =>
  z
    .string({ error: `Choose ${what}.` })
    .trim()
    .min(1, `Choose ${what}.`)
    .max(64, `Choose ${what}.`)
    .refine(storable, `Choose ${what}.`);

export const TokenNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name, e.g. what the token is for.")
  .max(TOKEN_NAME_MAX, `At most ${TOKEN_NAME_MAX} characters.`)
  .refine(storable, NUL_MESSAGE);

const SCOPES_MESSAGE = "Choose at least one scope.";

/**
 * Checkboxes of one name arrive as an array, one checked box as a string (FormData) and none as
 * `false` (react-hook-form): all become a list of known scopes, each once.
 */
export const TokenScopesSchema = z.preprocess(
  (v) => (v === false || v == null ? [] : typeof v === "string" ? [v] : v),
  z
    .array(z.enum(API_SCOPE_NAMES as [ApiScope, ...ApiScope[]], { error: "Unknown scope." }), {
      error: SCOPES_MESSAGE,
    })
    .min(1, SCOPES_MESSAGE)
    .max(API_SCOPE_NAMES.length)
    .transform((scopes) => API_SCOPE_NAMES.filter((s) => scopes.includes(s))),
);

const TokenFields = {
  name: TokenNameSchema,
  scopes: TokenScopesSchema,
  expiresIn: z
    .enum(TOKEN_EXPIRY_CHOICES, { error: "Choose when the token expires." })
    .default(DEFAULT_TOKEN_EXPIRY),
};

/** A token for oneself (the account page). */
export const ApiTokenCreateSchema = z.object(TokenFields);
export type ApiTokenCreateInput = z.input<typeof ApiTokenCreateSchema>;
export type ApiTokenCreateValues = z.output<typeof ApiTokenCreateSchema>;

/** A token for a service account (admins, Admin → Users → the service account). */
export const ServiceTokenCreateSchema = z.object({
  userId: id("a service account"),
  ...TokenFields,
});
export type ServiceTokenCreateInput = z.input<typeof ServiceTokenCreateSchema>;

export const ApiTokenRevokeSchema = z.object({ tokenId: id("a token") });
export type ApiTokenRevokeInput = z.input<typeof ApiTokenRevokeSchema>;
