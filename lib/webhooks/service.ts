import "server-only";
// Webhook administration (ADR 027): each write and its audit event in ONE transaction. The
// signing secret is returned once (create, rotate) and stored only encrypted; it never enters
// the audit trail. The destination is checked against the SSRF rule here (a clear field error)
// and again before every delivery (lib/webhooks/send.ts), because DNS answers change.
import { randomUUID } from "node:crypto";
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { NotFoundError, uniqueAsFieldError, ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ServiceContext } from "@/lib/service-context";
import { TEST_EVENT } from "@/lib/webhooks/events";
import type { WebhookPayload } from "@/lib/webhooks/fanout";
import type { WebhookValues } from "@/lib/webhooks/schemas";
import { newWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/secret";
import { DestinationRefusedError, resolveDestination } from "@/lib/webhooks/ssrf";

const NOT_FOUND = "Webhook not found.";
const DUPLICATE = "A webhook with this name already exists.";

const audit = changeRecorder("Webhook");

/** What the audit trail keeps of a webhook: everything but the secret. */
const AUDITED = {
  id: true,
  name: true,
  url: true,
  events: true,
  allowPrivate: true,
  active: true,
} as const;

function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, { isolationLevel: "ReadCommitted" });
}

/** The SSRF rule at save time: a refused destination is an error on the URL field. */
async function assertDestination(url: string, allowPrivate: boolean): Promise<void> {
  try {
    await resolveDestination(new URL(url).hostname, allowPrivate);
  } catch (err) {
    if (err instanceof DestinationRefusedError) {
      throw new ValidationError(err.message, { url: [err.message] });
    }
    throw err;
  }
}

async function lockWebhook(tx: Tx, id: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Webhook" WHERE id = ${id} FOR UPDATE`;
  if (rows.length !== 1) throw new NotFoundError(NOT_FOUND);
  return tx.webhook.findUniqueOrThrow({ where: { id }, select: AUDITED });
}

export async function createWebhook(
  ctx: ServiceContext,
  input: WebhookValues,
): Promise<{ id: string; secret: string }> {
  assertCan(ctx.actor, "webhook:manage");
  await assertDestination(input.url, input.allowPrivate);
  const secret = newWebhookSecret();
  return uniqueAsFieldError("name", DUPLICATE, () =>
    transaction(async (tx) => {
      const row = await tx.webhook.create({
        data: { ...input, secretEncrypted: sealWebhookSecret(secret), createdById: ctx.actor.id },
        select: AUDITED,
      });
      await audit(tx, ctx, "webhook.created", row.id, null, row);
      return { id: row.id, secret };
    }),
  );
}

export async function updateWebhook(
  ctx: ServiceContext,
  input: WebhookValues & { webhookId: string },
): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "webhook:manage");
  const { webhookId, ...values } = input;
  await assertDestination(values.url, values.allowPrivate);
  return uniqueAsFieldError("name", DUPLICATE, () =>
    transaction(async (tx) => {
      const { id, ...before } = await lockWebhook(tx, webhookId);
      const after = { ...before, ...values };
      if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
      await tx.webhook.update({ where: { id }, data: values });
      await audit(tx, ctx, "webhook.updated", id, before, after);
      return { changed: true };
    }),
  );
}

/** Turns a webhook on or off (its pending deliveries wait while it is off). */
export async function setWebhookActive(
  ctx: ServiceContext,
  input: { webhookId: string; active: boolean },
): Promise<void> {
  assertCan(ctx.actor, "webhook:manage");
  await transaction(async (tx) => {
    const { id, ...before } = await lockWebhook(tx, input.webhookId);
    if (before.active === input.active) return;
    await tx.webhook.update({ where: { id }, data: { active: input.active } });
    await audit(
      tx,
      ctx,
      input.active ? "webhook.enabled" : "webhook.disabled",
      id,
      { active: before.active },
      { active: input.active },
    );
  });
}

/** Deletes a webhook and its delivery log. */
export async function deleteWebhook(ctx: ServiceContext, input: { webhookId: string }) {
  assertCan(ctx.actor, "webhook:manage");
  await transaction(async (tx) => {
    const { id, ...before } = await lockWebhook(tx, input.webhookId);
    const deliveries = await tx.webhookDelivery.count({ where: { webhookId: id } });
    await tx.webhook.delete({ where: { id } });
    await audit(tx, ctx, "webhook.deleted", id, before, null, { deliveries });
  });
}

/** A new signing secret, returned once; the old one stops signing at once. */
export async function rotateWebhookSecret(
  ctx: ServiceContext,
  input: { webhookId: string },
): Promise<{ secret: string }> {
  assertCan(ctx.actor, "webhook:manage");
  const secret = newWebhookSecret();
  await transaction(async (tx) => {
    const { id } = await lockWebhook(tx, input.webhookId);
    await tx.webhook.update({
      where: { id },
      data: { secretEncrypted: sealWebhookSecret(secret) },
    });
    await audit(tx, ctx, "webhook.secret_rotated", id, null, null);
  });
  return { secret };
}

/** Queues a "webhook.test" delivery (sent by the background loop within seconds). */
export async function sendTestEvent(
  ctx: ServiceContext,
  input: { webhookId: string },
): Promise<{ deliveryId: string }> {
  assertCan(ctx.actor, "webhook:manage");
  return transaction(async (tx) => {
    const hook = await lockWebhook(tx, input.webhookId);
    if (!hook.active)
      throw new ValidationError("Enable the webhook first: it sends nothing while off.");
    const id = randomUUID();
    const payload: WebhookPayload = {
      id,
      type: TEST_EVENT,
      createdAt: new Date().toISOString(),
      data: {
        webhook: { id: hook.id, name: hook.name },
        message: "A test event from Tessera: the signature and the endpoint work.",
      },
    };
    await tx.webhookDelivery.create({
      data: {
        id,
        webhookId: hook.id,
        eventType: TEST_EVENT,
        payload: payload as unknown as Prisma.InputJsonValue,
      },
    });
    await audit(tx, ctx, "webhook.test_sent", hook.id, null, null, { deliveryId: id });
    return { deliveryId: id };
  });
}

/**
 * "Send again": a new delivery of the same event and data (a new delivery id, attempts from 0),
 * whatever became of the first one. The first one stays in the log as it was.
 */
export async function resendDelivery(
  ctx: ServiceContext,
  input: { deliveryId: string },
): Promise<{ deliveryId: string }> {
  assertCan(ctx.actor, "webhook:manage");
  return transaction(async (tx) => {
    const original = await tx.webhookDelivery.findUnique({
      where: { id: input.deliveryId },
      select: { id: true, webhookId: true, eventType: true, payload: true },
    });
    if (!original) throw new NotFoundError("Delivery not found.");
    await lockWebhook(tx, original.webhookId);
    const id = randomUUID();
    const payload = { ...(original.payload as unknown as WebhookPayload), id };
    await tx.webhookDelivery.create({
      data: {
        id,
        webhookId: original.webhookId,
        eventType: original.eventType,
        payload: payload as unknown as Prisma.InputJsonValue,
      },
    });
    await audit(tx, ctx, "webhook.delivery_resent", original.webhookId, null, null, {
      deliveryId: original.id,
      newDeliveryId: id,
      eventType: original.eventType,
    });
    return { deliveryId: id };
  });
}
