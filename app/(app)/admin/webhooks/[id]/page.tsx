import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/admin/back-link";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { WebhookControls } from "@/components/webhooks/webhook-controls";
import { WebhookForm } from "@/components/webhooks/webhook-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { DELIVERY_LOG_SIZE, listDeliveries, webhookForAdmin } from "@/lib/webhooks/queries";

export const metadata: Metadata = { title: "Webhook" };

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePagePermission("webhook:manage");
  const { id } = await params;
  const webhook = await webhookForAdmin(viewer, id);
  if (!webhook) notFound();
  const deliveries = await listDeliveries(viewer, webhook.id);
  return (
    <div className="space-y-6">
      <BackLink href="/admin/webhooks">Webhooks</BackLink>
      <PageHeader title={webhook.name} />
      <Card>
        <CardContent>
          <WebhookControls webhook={{ id: webhook.id, active: webhook.active }} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Deliveries</CardTitle>
          <CardDescription>
            The latest {DELIVERY_LOG_SIZE}, newest first. Failures are retried with backoff for
            about a day; &ldquo;Send again&rdquo; queues a new delivery of the same event.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DeliveryLog deliveries={deliveries} />
        </CardContent>
      </Card>
      <Card className="max-w-3xl">
        <CardHeader>
          <CardTitle>Settings</CardTitle>
        </CardHeader>
        <CardContent>
          <WebhookForm
            webhook={{
              id: webhook.id,
              name: webhook.name,
              url: webhook.url,
              events: webhook.events,
              allowPrivate: webhook.allowPrivate,
              active: webhook.active,
            }}
          />
        </CardContent>
      </Card>
    </div>
  );
}
