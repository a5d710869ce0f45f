import "server-only";
// Reads for the Webhooks admin pages. Only "webhook:manage" holders (refused otherwise). The
// signing secret is never read here.
import { assertCan } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/service-context";

const LIST_SELECT = {
  id: true,
  name: true,
  url: true,
  events: true,
  allowPrivate: true,
  active: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Every webhook with its latest delivery's status. */
export async function listWebhooksForAdmin(viewer: Viewer) {
  assertCan(viewer, "webhook:manage");
  const rows = await db.webhook.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      ...LIST_SELECT,
      deliveries: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 1,
        select: { status: true, lastStatusCode: true, createdAt: true },
      },
    },
  });
  return rows.map(({ deliveries, ...row }) => ({ ...row, lastDelivery: deliveries[0] ?? null }));
}

export type WebhookListRow = Awaited<ReturnType<typeof listWebhooksForAdmin>>[number];

/** One webhook; null when there is none. */
export async function webhookForAdmin(viewer: Viewer, id: string) {
  assertCan(viewer, "webhook:manage");
  return db.webhook.findUnique({ where: { id }, select: LIST_SELECT });
}

export const DELIVERY_LOG_SIZE = 50;

/** The newest deliveries of one webhook (the log on its page). */
export async function listDeliveries(viewer: Viewer, webhookId: string, take = DELIVERY_LOG_SIZE) {
  assertCan(viewer, "webhook:manage");
  return db.webhookDelivery.findMany({
    where: { webhookId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      eventType: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      responseExcerpt: true,
      durationMs: true,
      createdAt: true,
      deliveredAt: true,
      nextAttemptAt: true,
    },
  });
}

export type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>[number];
