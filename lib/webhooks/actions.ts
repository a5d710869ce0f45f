"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/action";
import {
  DeliveryIdSchema,
  WebhookCreateSchema,
  WebhookIdSchema,
  WebhookUpdateSchema,
} from "@/lib/webhooks/schemas";
import {
  createWebhook,
  deleteWebhook,
  resendDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  setWebhookActive,
  updateWebhook,
} from "@/lib/webhooks/service";

function revalidate() {
  revalidatePath("/admin/webhooks", "layout");
}

/** Returns the new webhook's id and its signing secret (shown once). */
export const createWebhookAction = defineAction({
  name: "webhook.created",
  schema: WebhookCreateSchema,
  permission: "webhook:manage",
  async handler(input, ctx) {
    const result = await createWebhook(ctx, input);
    revalidate();
    return result;
  },
});

export const updateWebhookAction = defineAction({
  name: "webhook.updated",
  schema: WebhookUpdateSchema,
  permission: "webhook:manage",
  async handler(input, ctx) {
    const { changed } = await updateWebhook(ctx, input);
    revalidate();
    return changed ? "Saved." : "Nothing changed.";
  },
});

export const setWebhookActiveAction = defineAction({
  name: "webhook.enabled",
  schema: WebhookIdSchema.extend({ active: z.boolean() }),
  permission: "webhook:manage",
  async handler(input, ctx) {
    await setWebhookActive(ctx, input);
    revalidate();
    return input.active ? "Enabled." : "Disabled.";
  },
});

export const deleteWebhookAction = defineAction({
  name: "webhook.deleted",
  schema: WebhookIdSchema,
  permission: "webhook:manage",
  async handler(input, ctx) {
    await deleteWebhook(ctx, input);
    revalidate();
    return null;
  },
});

/** Returns the new signing secret (shown once). */
export const rotateWebhookSecretAction = defineAction({
  name: "webhook.secret_rotated",
  schema: WebhookIdSchema,
  permission: "webhook:manage",
  async handler(input, ctx) {
    const result = await rotateWebhookSecret(ctx, input);
    revalidate();
    return result;
  },
});

export const sendTestEventAction = defineAction({
  name: "webhook.test_sent",
  schema: WebhookIdSchema,
  permission: "webhook:manage",
  async handler(input, ctx) {
    await sendTestEvent(ctx, input);
    revalidate();
    return "Test event queued: it appears in the log within seconds.";
  },
});

export const resendDeliveryAction = defineAction({
  name: "webhook.delivery_resent",
  schema: DeliveryIdSchema,
  permission: "webhook:manage",
  async handler(input, ctx) {
    await resendDelivery(ctx, input);
    revalidate();
    return "Queued again.";
  },
});
