import type { Metadata } from "next";
import { BackLink } from "@/components/admin/back-link";
import { WebhookForm } from "@/components/webhooks/webhook-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "New webhook" };

export default async function NewWebhookPage() {
  await requirePagePermission("webhook:manage");
  return (
    <div className="max-w-3xl space-y-6">
      <BackLink href="/admin/webhooks">Webhooks</BackLink>
      <PageHeader title="New webhook" />
      <Card>
        <CardContent>
          <WebhookForm
            webhook={{
              id: null,
              name: "",
              url: "",
              events: ["ticket.created"],
              allowPrivate: false,
              active: true,
            }}
          />
        </CardContent>
      </Card>
    </div>
  );
}
