import "server-only";
// The attachment allow-list as an instance setting (ADR 022): admins pick the kinds on
// /admin/settings; while nothing is saved, TESSERA_ATTACHMENT_TYPES (default: every kind) holds.
import { AttachmentSettingsSchema } from "@/lib/attachments/schemas";
import { kindsFromEnv } from "@/lib/attachments/types";
import { defineSetting } from "@/lib/settings/store";

export const ATTACHMENT_SETTINGS = defineSetting({
  key: "attachments",
  schema: AttachmentSettingsSchema,
  defaultValue: () =>
    AttachmentSettingsSchema.parse({
      kinds: [...kindsFromEnv(process.env.TESSERA_ATTACHMENT_TYPES)],
    }),
});
