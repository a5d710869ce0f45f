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
  anchor_mismatch:
    "a signed anchor records a different hash at its place (events rewritten and re-hashed)",
  truncated: "a signed anchor is further along than the chain (the newest events were deleted)",
} as const;

function intact(report: Extract<IntegrityReport, { ok: true }>): string {
  const events = plural(report.count, "event");
  const anchors = plural(report.anchorsChecked, "signed anchor");
  return report.fromSeq === null
    ? `Intact: every event re-hashed (${events}), ${anchors} matched.`
    : `Intact: ${events} since the last check (position ${report.fromSeq}) verified, ${anchors} matched.`;
}

/**
 * "Verify integrity" seals what is pending and checks the chain from the last verified
 * checkpoint; "Verify everything" re-hashes every event (tens of seconds at a million).
 */
export function VerifyIntegrity() {
  const { run, pending, status } = useAction();
  const [full, setFull] = useState(false);
  // A broken chain is a finding, not a refusal: it gets its own report below.
  const [broken, setBroken] = useState<Extract<IntegrityReport, { ok: false }> | null>(null);
  const verify = (everything: boolean) => {
    setBroken(null);
    setFull(everything);
    run(() => verifyAuditIntegrityAction({ full: everything }), {
      onSuccess: (report) => {
        if (report.ok) return intact(report);
        setBroken(report);
      },
    });
  };

  return (
    <div className="space-y-3" data-testid="verify-integrity">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" loading={pending && !full} onClick={() => verify(false)}>
          {pending && !full ? "Verifying new events…" : "Verify integrity"}
        </Button>
        <Button variant="ghost" loading={pending && full} onClick={() => verify(true)}>
          {pending && full ? "Re-hashing every event…" : "Verify everything"}
        </Button>
      </div>
      <FormMessage status={status} />
      {broken && (
        <div
          role="alert"
          className="space-y-1 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200"
        >
          <p className="font-medium">
            Broken at{" "}
            {/^\d+$/.test(broken.brokenId) ? (
              <>
                event{" "}
                <Link href={`/admin/audit/${broken.brokenId}`} className="underline">
                  #{broken.brokenId}
                </Link>
              </>
            ) : (
              broken.brokenId
            )}
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
