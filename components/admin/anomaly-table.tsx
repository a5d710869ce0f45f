"use client";
import Link from "next/link";
import { AdminTable } from "@/components/admin/admin-table";
import { formatUtc } from "@/components/admin/format";
import { useAction } from "@/components/forms/use-action";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { acknowledgeAnomalyAction } from "@/lib/security/actions";
import type { AnomalyListItem } from "@/lib/security/queries";

const TONE: Record<string, BadgeTone> = {
  alert: "danger",
  warning: "warning",
  notice: "info",
  info: "neutral",
};

function AcknowledgeButton({ id }: { id: string }) {
  const { run, pending, status } = useAction({ refresh: true });
  return (
    <div className="space-y-1">
      <Button
        variant="secondary"
        loading={pending}
        onClick={() =>
          run(() => acknowledgeAnomalyAction({ anomalyId: id }), {
            onSuccess: () => "Acknowledged.",
          })
        }
      >
        Acknowledge
      </Button>
      <FormMessage status={status} />
    </div>
  );
}

/** Everything here is React text: summaries carry attacker-supplied strings (emails, agents). */
export function AnomalyTable({ anomalies }: { anomalies: AnomalyListItem[] }) {
  return (
    <AdminTable headers={["First seen (UTC)", "Rule", "What happened", "Times", "Status"]}>
      {anomalies.map((a) => (
        <tr key={a.id} data-testid="anomaly-row">
          <td className="px-3 py-2 whitespace-nowrap tabular-nums">
            {formatUtc(a.createdAt).replace(" UTC", "")}
          </td>
          <td className="px-3 py-2">
            <Badge tone={TONE[a.severity] ?? "neutral"}>{a.severity}</Badge>{" "}
            <span className="font-mono text-xs">{a.rule}</span>
            <p className="text-xs text-fg-muted">{a.ruleLabel}</p>
          </td>
          <td className="px-3 py-2 break-all" data-testid="anomaly-summary">
            {a.summary}
            {a.auditEventId && (
              <>
                {" "}
                <Link href={`/admin/audit/${a.auditEventId}`} className="underline">
                  event #{a.auditEventId}
                </Link>
              </>
            )}
          </td>
          <td className="px-3 py-2 tabular-nums">
            {a.count}
            {a.count > 1 && (
              <p className="text-xs text-fg-muted">last {formatUtc(a.lastSeenAt, false)}</p>
            )}
          </td>
          <td className="px-3 py-2">
            {a.acknowledgedAt ? (
              <span className="text-fg-muted">
                Acknowledged by {a.acknowledgedBy ?? "a former admin"},{" "}
                {formatUtc(a.acknowledgedAt, false)}
              </span>
            ) : (
              <AcknowledgeButton id={a.id} />
            )}
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}
