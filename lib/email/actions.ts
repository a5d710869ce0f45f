"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { updateNotificationSettings } from "@/lib/email/preferences";
import { NotificationSettingsSchema } from "@/lib/email/schemas";
import { z } from "zod";
import { encryptSecret } from "@/lib/auth/mfa/crypto";
import { mfaEncryptionKey } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import { pollInboundNow } from "@/lib/email/inbound/job";
import { InboundMailboxFormSchema } from "@/lib/email/inbound/schemas";
import { inboundMailboxSetting } from "@/lib/email/inbound/settings";
import { updateSetting } from "@/lib/settings/service";
import { readSetting } from "@/lib/settings/store";

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

export const updateInboundMailboxAction = defineAction({
  name: "settings.updated",
  schema: InboundMailboxFormSchema,
  permission: "settings:manage",
  async handler(input, ctx) {
    const current = (await readSetting(inboundMailboxSetting)).value;
    const { secret, ...rest } = input;
    const value = {
      ...rest,
      // Encrypted at rest like the TOTP secrets; an empty field keeps the saved one.
      secretEncrypted: secret ? encryptSecret(secret, mfaEncryptionKey()) : current.secretEncrypted,
    };
    const result = await updateSetting(ctx, inboundMailboxSetting, value);
    revalidatePath("/admin/settings");
    return result;
  },
});

/** "Check the mailbox now": one look, whatever the interval; says what it found or what failed. */
export const checkMailboxNowAction = defineAction({
  name: "email.inbound_check",
  schema: z.object({}),
  permission: "settings:manage",
  async handler() {
    try {
      const result = await pollInboundNow();
      if (!result) return "The mailbox is off, or has no password saved.";
      revalidatePath("/admin/email");
      return `Read ${result.fetched} message(s): ${result.done} processed, ${result.retried} left for the next try.`;
    } catch (err) {
      throw new ValidationError(`Could not read the mailbox: ${(err as Error).message}`);
    }
  },
});
