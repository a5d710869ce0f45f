import "server-only";
// The help desk mailbox that Tessera reads (issue 14 §3), an instance setting (ADR 022) admins
// edit on Admin → Settings. The password (or OAuth2 access token) is stored encrypted with
// MFA_ENCRYPTION_KEY like the TOTP secrets, never shown again, and kept when the form leaves it
// empty. Until an admin saves it, the environment gives the default (TESSERA_IMAP_*).
import { z } from "zod";
import { INBOUND_PROCESSED, INBOUND_UNKNOWN } from "@/lib/email/inbound/schemas";
import { defineSetting } from "@/lib/settings/store";

const text = (max: number) => z.string().trim().max(max);

/** What is stored (and what the job reads). */
export const InboundMailboxSchema = z
  .object({
    enabled: z.boolean(),
    host: text(253),
    port: z.number().int().min(1).max(65535),
    /** TLS from the first byte (port 993); false: plain, upgraded with STARTTLS when offered. */
    secure: z.boolean(),
    user: text(320),
    /** "password" or "oauth2" (the secret is then an access token, XOAUTH2). */
    auth: z.enum(["password", "oauth2"]),
    /** The password or token, encrypted (lib/auth/mfa/crypto.ts); null: none saved. */
    secretEncrypted: z.string().max(8192).nullable(),
    folder: text(200).min(1),
    processed: z.enum(INBOUND_PROCESSED),
    processedFolder: text(200).min(1),
    unknownSenders: z.enum(INBOUND_UNKNOWN),
    /** The category of tickets opened by email; null: the first open category. */
    categoryId: text(64).nullable(),
    /** Minutes between two looks at the mailbox. */
    everyMinutes: z.number().int().min(1).max(60),
  })
  .refine((v) => !v.enabled || (v.host !== "" && v.user !== "" && v.secretEncrypted !== null), {
    message: "To read a mailbox, give its server, user and password.",
  });
export type InboundMailbox = z.output<typeof InboundMailboxSchema>;

type Env = Record<string, string | undefined>;

export function inboundDefault(env: Env = process.env): InboundMailbox {
  return {
    enabled: false,
    host: env.TESSERA_IMAP_HOST ?? "",
    port: Number(env.TESSERA_IMAP_PORT ?? 993),
    secure: (env.TESSERA_IMAP_SECURE ?? "1") !== "0",
    user: env.TESSERA_IMAP_USER ?? "",
    auth: "password",
    secretEncrypted: null,
    folder: "INBOX",
    processed: "seen",
    processedFolder: "Processed",
    unknownSenders: "refuse",
    categoryId: null,
    everyMinutes: 1,
  };
}

export const inboundMailboxSetting = defineSetting({
  key: "email.inbound",
  schema: InboundMailboxSchema,
  defaultValue: () => inboundDefault(),
});
