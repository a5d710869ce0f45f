"use client";
import Link from "next/link";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/forms/use-action";
import { deletePolicyAction, movePolicyAction } from "@/lib/sla/actions";
import { formatTarget } from "@/components/sla/format";

export type PolicyRowData = {
  id: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  condition: string;
  calendarName: string;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
};

/** One policy in the list: what it matches, its targets, move, edit, delete. */
export function PolicyRow({
  policy,
  first,
  last,
}: {
  policy: PolicyRowData;
  first: boolean;
  last: boolean;
}) {
  const { run, pending, status } = useAction({ refresh: true });
  const move = (direction: "up" | "down") =>
    run(() => movePolicyAction({ policyId: policy.id, direction }));
  return (
    <li className="space-y-2 px-4 py-3" data-testid="policy-row" aria-busy={pending || undefined}>
      <FormMessage status={status} />
      <div className="flex flex-wrap items-center gap-3">
        <span className="min-w-0 flex-1">
          <span className="font-medium break-words">{policy.name}</span>{" "}
          {policy.isDefault && <Badge tone="info">default</Badge>}{" "}
          {!policy.active && <Badge>inactive</Badge>}
          <span className="block text-sm text-fg-muted">
            {policy.condition} · {policy.calendarName} · first response{" "}
            {formatTarget(policy.firstResponseMinutes)}, next response{" "}
            {formatTarget(policy.nextResponseMinutes)}, resolution{" "}
            {formatTarget(policy.resolutionMinutes)}
          </span>
        </span>
        <div className="flex flex-wrap gap-1">
          {!policy.isDefault && (
            <>
              <Button
                size="sm"
                variant="ghost"
                disabled={first || pending}
                aria-label={`Move ${policy.name} up`}
                onClick={() => move("up")}
              >
                ↑
              </Button>
              <Button
                size="sm"
                variant="ghost"
                disabled={last || pending}
                aria-label={`Move ${policy.name} down`}
                onClick={() => move("down")}
              >
                ↓
              </Button>
            </>
          )}
          <Link
            href={`/admin/service-levels/policies/${policy.id}`}
            className="inline-flex min-h-9 items-center rounded-md px-3 text-sm font-medium hover:bg-surface-muted"
            aria-label={`Edit ${policy.name}`}
          >
            Edit
          </Link>
          {!policy.isDefault && (
            <ConfirmButton
              label="Delete"
              confirmLabel={`Delete ${policy.name}`}
              question="Delete this policy? Tickets keep their due times until they next change."
              variant="danger"
              pending={pending}
              onConfirm={() => run(() => deletePolicyAction({ policyId: policy.id }))}
            />
          )}
        </div>
      </div>
    </li>
  );
}
