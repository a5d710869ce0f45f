"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { AttachmentSettingsSchema } from "@/lib/attachments/schemas";
import { ATTACHMENT_SETTINGS } from "@/lib/attachments/settings";
import { updateSetting } from "@/lib/settings/service";

export const updateAttachmentSettingsAction = defineAction({
  name: "settings.updated",
  schema: AttachmentSettingsSchema,
  permission: "settings:manage",
  async handler(input, ctx) {
    const { changed } = await updateSetting(ctx, ATTACHMENT_SETTINGS, input);
    revalidatePath("/admin/settings");
    // The new-ticket, reply and note forms show the allowed kinds.
    revalidatePath("/tickets", "layout");
    return { changed };
  },
});
