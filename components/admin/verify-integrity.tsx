"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError, FormSuccess } from "@/components/ui/form-message";
import { verifyAuditIntegrityAction } from "@/lib/audit/actions";
import type { IntegrityReport } from "@/lib/audit/queries";

const REASONS = {
  hash_mismatch: "its content no longer matches its hash (edited)",
  prev_hash_mismatch:
    "it does not follow the event before it (an event was removed, inserted or re-hashed)",
} as const;

/** Walks the whole hash chain on request (tens of seconds at a million events). */
export function VerifyIntegrity() {
  const [pending, startTransition] = useTransition();
  const [report, setReport] = useState<IntegrityReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="space-y-3" data-testid="verify-integrity">
      <Button
        variant="secondary"
        loading={pending}
        onClick={() => {
          setError(null);
          setReport(null);
          startTransition(async () => {
            const result = await verifyAuditIntegrityAction({});
            if (result.ok) setReport(result.data);
            else setError(result.formError ?? "The check could not run.");
          });
        }}
      >
        {pending ? "Verifying every event…" : "Verify integrity"}
      </Button>
      <FormError message={error} />
      {report?.ok && (
        <FormSuccess message={`Intact, ${report.count} events: every hash verified.`} />
      )}
      {report && !report.ok && (
        <div
          role="alert"
          className="space-y-1 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200"
        >
          <p className="font-medium">
            Broken at event{" "}
            <Link href={`/admin/audit/${report.brokenId}`} className="underline">
              #{report.brokenId}
            </Link>
            : {REASONS[report.reason]}.
          </p>
          {report.event && (
            <p>
              {report.event.action} by {report.event.actorEmail ?? "system"}.
            </p>
          )}
          <p>{report.count} events before it verified.</p>
        </div>
      )}
    </div>
  );
}
