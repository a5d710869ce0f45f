"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { updateNotificationSettings } from "@/lib/email/preferences";
import { NotificationSettingsSchema } from "@/lib/email/schemas";

export const updateNotificationSettingsAction = defineAction({
  name: "account.notifications",
  schema: NotificationSettingsSchema,
  permission: "account:manage",
  async handler(input, ctx) {
    await updateNotificationSettings(ctx, input);
    revalidatePath("/account/notifications");
    return "Saved. Your email settings apply to the next change.";
  },
});
