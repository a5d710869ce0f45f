import type { Metadata } from "next";
import Link from "next/link";
import { AdminTable } from "@/components/admin/admin-table";
import { DELIVERY_STATUS } from "@/components/webhooks/delivery-log";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { formatUtc } from "@/lib/dates";
import { listWebhooksForAdmin } from "@/lib/webhooks/queries";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const viewer = await requirePagePermission("webhook:manage");
  const webhooks = await listWebhooksForAdmin(viewer);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Webhooks"
        description="Ticket events POSTed as signed JSON to other systems: chat, monitoring, automation. See docs/webhooks.md for the payload and how to verify the signature."
        actions={
          <Link href="/admin/webhooks/new" className={buttonVariants({ size: "sm" })}>
            New webhook
          </Link>
        }
      />
      <Card>
        <CardContent>
          {webhooks.length === 0 ? (
            <p className="text-sm text-fg-muted">No webhooks yet.</p>
          ) : (
            <AdminTable headers={["Name", "URL", "Events", "State", "Last delivery"]}>
              {webhooks.map((h) => {
                const last = h.lastDelivery;
                const state = last ? DELIVERY_STATUS[last.status] : null;
                return (
                  <tr key={h.id} data-testid="webhook-row">
                    <td className="px-3 py-2">
                      <Link
                        href={`/admin/webhooks/${h.id}`}
                        className="font-medium break-words hover:underline"
                      >
                        {h.name}
                      </Link>
                    </td>
                    <td className="max-w-xs px-3 py-2 font-mono text-xs break-all">{h.url}</td>
                    <td className="px-3 py-2 text-xs">{h.events.join(", ")}</td>
                    <td className="px-3 py-2">
                      {h.active ? <Badge tone="success">active</Badge> : <Badge>disabled</Badge>}{" "}
                      {h.allowPrivate && <Badge tone="warning">private allowed</Badge>}
                    </td>
                    <td className="px-3 py-2 text-xs whitespace-nowrap">
                      {last && state ? (
                        <>
                          <Badge tone={state.tone}>{state.label}</Badge>{" "}
                          {formatUtc(last.createdAt, false)}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
            </AdminTable>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
