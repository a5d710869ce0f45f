"use client";
import { AdminTable } from "@/components/admin/admin-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/forms/use-action";
import { formatUtc } from "@/lib/dates";
import { resendDeliveryAction } from "@/lib/webhooks/actions";
import type { DeliveryRow } from "@/lib/webhooks/queries";

export const DELIVERY_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  PENDING: { label: "Pending", tone: "info" },
  SUCCEEDED: { label: "Delivered", tone: "success" },
  FAILED: { label: "Failed", tone: "danger" },
};

/** The newest deliveries of one webhook; the receiver's answers are outsiders' text. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryRow[] }) {
  const { run, pending, status } = useAction({ refresh: true });
  if (deliveries.length === 0) {
    return <p className="text-sm text-fg-muted">No deliveries yet.</p>;
  }
  return (
    <div className="space-y-2" aria-busy={pending || undefined}>
      <FormMessage status={status} />
      <AdminTable headers={["Created (UTC)", "Event", "Status", "Code", "Attempts", "Error", ""]}>
        {deliveries.map((d) => {
          const state = DELIVERY_STATUS[d.status] ?? { label: d.status, tone: "neutral" };
          return (
            <tr key={d.id} data-testid="delivery-row">
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                {formatUtc(d.createdAt).replace(" UTC", "")}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{d.eventType}</td>
              <td className="px-3 py-2">
                <Badge tone={state.tone}>{state.label}</Badge>
              </td>
              <td className="px-3 py-2 tabular-nums">{d.lastStatusCode ?? "—"}</td>
              <td className="px-3 py-2 tabular-nums">{d.attempts}</td>
              <td className="max-w-xs px-3 py-2 text-xs break-words">
                {d.lastError ?? ""}
                {d.responseExcerpt && (
                  <span className="mt-1 block font-mono break-all text-fg-muted">
                    {d.responseExcerpt.slice(0, 200)}
                  </span>
                )}
              </td>
              <td className="px-3 py-2">
                <Button
                  size="sm"
                  variant="secondary"
                  disabled={pending}
                  aria-label={`Send again: ${d.eventType} of ${formatUtc(d.createdAt)}`}
                  onClick={() =>
                    run(() => resendDeliveryAction({ deliveryId: d.id }), {
                      onSuccess: (m) => m,
                    })
                  }
                >
                  Send again
                </Button>
              </td>
            </tr>
          );
        })}
      </AdminTable>
    </div>
  );
}
