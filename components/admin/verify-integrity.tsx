"use client";
import Link from "next/link";
import { useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { verifyAuditIntegrityAction } from "@/lib/audit/actions";
import type { IntegrityReport } from "@/lib/audit/queries";
import { plural } from "@/lib/dates";

const REASONS = {
  hash_mismatch: "its content no longer matches its hash (edited)",
  prev_hash_mismatch:
    "it does not follow the event before it (an event was removed, inserted or re-hashed)",
} as const;

/** Walks the whole hash chain on request (tens of seconds at a million events). */
export function VerifyIntegrity() {
  const { run, pending, status } = useAction();
  // A broken chain is a finding, not a refusal: it gets its own report below.
  const [broken, setBroken] = useState<Extract<IntegrityReport, { ok: false }> | null>(null);

  return (
    <div className="space-y-3" data-testid="verify-integrity">
      <Button
        variant="secondary"
        loading={pending}
        onClick={() => {
          setBroken(null);
          run(() => verifyAuditIntegrityAction({}), {
            onSuccess: (report) => {
              if (report.ok)
                return `Intact, ${plural(report.count, "event")}: every hash verified.`;
              setBroken(report);
            },
          });
        }}
      >
        {pending ? "Verifying every event…" : "Verify integrity"}
      </Button>
      <FormMessage status={status} />
      {broken && (
        <div
          role="alert"
          className="space-y-1 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200"
        >
          <p className="font-medium">
            Broken at event{" "}
            <Link href={`/admin/audit/${broken.brokenId}`} className="underline">
              #{broken.brokenId}
            </Link>
            : {REASONS[broken.reason]}.
          </p>
          {broken.event && (
            <p>
              {broken.event.action} by {broken.event.actorEmail ?? "system"}.
            </p>
          )}
          <p>{plural(broken.count, "event")} before it verified.</p>
        </div>
      )}
    </div>
  );
}
