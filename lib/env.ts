import "server-only";
import { z } from "zod";
import { decodeMfaKey, MFA_KEY_HELP } from "@/lib/auth/mfa/key";

// Every environment variable the server reads, validated once. The README's table lists them.

/** An optional setting where an empty value means unset. */
function optionalText<T extends z.ZodType<string>>(schema: T) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema.optional(),
  );
}

/** "a, b ,c" -> ["a", "b", "c"] (empty entries dropped). */
const groupList = z
  .string()
  .max(4000)
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean),
  );
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .min(1, "DATABASE_URL is required (npm start sets it for the embedded database)"),
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
    TESSERA_DEMO: z
      .enum(["0", "1"])
      .default("0")
      .transform((v) => v === "1"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    BCRYPT_COST: z.coerce.number().int().min(10).max(14).default(10),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Encrypts TOTP secrets at rest (AES-256-GCM): 32 random bytes, base64 or hex. */
    MFA_ENCRYPTION_KEY: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === "") return undefined;
        const key = decodeMfaKey(value);
        if (!key) {
          ctx.addIssue({ code: "custom", message: MFA_KEY_HELP });
          return z.NEVER;
        }
        return key;
      }),
    /** Staff (admins, technicians) must use MFA; "optional" only in the demo (TESSERA_DEMO=1). */
    TESSERA_STAFF_MFA: z.enum(["required", "optional"]).default("required"),
    // Single sign-on with OpenID Connect (lib/auth/sso, docs/decisions/029-single-sign-on.md).
    // Off while TESSERA_SSO_ISSUER is unset: no SSO button, password sign-in for everyone.
    /** The identity provider's issuer URL (its /.well-known/openid-configuration is read). */
    TESSERA_SSO_ISSUER: optionalText(z.url({ protocol: /^https?$/ })),
    TESSERA_SSO_CLIENT_ID: optionalText(z.string().max(500)),
    TESSERA_SSO_CLIENT_SECRET: optionalText(z.string().max(2000)),
    /** The button's text on the login page. */
    TESSERA_SSO_LABEL: z.string().trim().min(1).max(60).default("Sign in with single sign-on"),
    /** The ID token claim with the person's groups or roles; a dotted path reads nested claims
     * (Keycloak: "realm_access.roles"). */
    TESSERA_SSO_GROUPS_CLAIM: z.string().trim().min(1).max(200).default("groups"),
    /** Comma-separated group values that make an admin / a technician; everyone else: user. */
    TESSERA_SSO_ADMIN_GROUPS: groupList,
    TESSERA_SSO_TECHNICIAN_GROUPS: groupList,
    /** Just-in-time accounts: "on" creates an account at the first sign-in of an unknown person. */
    TESSERA_SSO_JIT: z
      .enum(["on", "off"])
      .default("off")
      .transform((v) => v === "on"),
    /** With SSO on: password sign-in for "everyone", or only for local "admins" (break-glass). */
    TESSERA_SSO_PASSWORD_SIGN_IN: z.enum(["everyone", "admins"]).default("everyone"),
  })
  .refine((e) => e.TESSERA_STAFF_MFA === "required" || e.TESSERA_DEMO, {
    path: ["TESSERA_STAFF_MFA"],
    message: '"optional" is only allowed in the demo (TESSERA_DEMO=1); production requires MFA',
  })
  .refine(
    (e) => !e.TESSERA_SSO_ISSUER || (e.TESSERA_SSO_CLIENT_ID && e.TESSERA_SSO_CLIENT_SECRET),
    {
      path: ["TESSERA_SSO_CLIENT_ID"],
      message:
        "TESSERA_SSO_ISSUER is set: TESSERA_SSO_CLIENT_ID and TESSERA_SSO_CLIENT_SECRET are required",
    },
  );

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** The MFA encryption key; throws a clear error when it is not configured. */
export function mfaEncryptionKey(): Buffer {
  const key = env().MFA_ENCRYPTION_KEY;
  if (!key) {
    throw new Error(
      "MFA_ENCRYPTION_KEY is not set: 32 random bytes in base64 or hex " +
        "(`openssl rand -base64 32`). npm start generates one in embedded mode.",
    );
  }
  return key;
}
