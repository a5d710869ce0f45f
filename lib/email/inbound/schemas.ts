// The admin form of the help desk mailbox (Admin -> Settings -> Incoming email), shared by the form
// (client) and the action (server). The stored value is in settings.ts (server only).
import { z } from "zod";

export const INBOUND_PROCESSED = ["seen", "move", "delete"] as const;
export const INBOUND_UNKNOWN = ["refuse", "create"] as const;

const text = (max: number) => z.string().trim().max(max);

/** The admin form: like the stored value, with the secret in clear (empty: keep the saved one). */
export const InboundMailboxFormSchema = z.object({
  enabled: z.boolean(),
  host: text(253),
  port: z.coerce
    .number({ error: "A port number." })
    .int()
    .min(1, "1 to 65535.")
    .max(65535, "1 to 65535."),
  secure: z.boolean(),
  user: text(320),
  auth: z.enum(["password", "oauth2"]),
  secret: z.string().max(8192).optional().default(""),
  folder: text(200).min(1, "Which folder to read, e.g. INBOX."),
  processed: z.enum(INBOUND_PROCESSED),
  processedFolder: text(200).min(1, "A folder name."),
  unknownSenders: z.enum(INBOUND_UNKNOWN),
  categoryId: z
    .string()
    .trim()
    .max(64)
    .transform((v) => (v === "" ? null : v)),
  everyMinutes: z.coerce.number().int().min(1, "1 to 60.").max(60, "1 to 60."),
});
export type InboundMailboxFormInput = z.input<typeof InboundMailboxFormSchema>;
