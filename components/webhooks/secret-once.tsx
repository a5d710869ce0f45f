"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A signing secret, shown once (after creation or rotation): it is stored only encrypted. */
export function SecretOnce({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
      data-testid="webhook-secret"
    >
      <p>
        The signing secret. It is shown only now: put it in the receiver&apos;s configuration to
        check the <code>Tessera-Signature</code> header.
      </p>
      <p className="flex flex-wrap items-center gap-3">
        <code
          className="rounded bg-surface px-2 py-1 font-mono text-sm break-all text-fg"
          data-testid="secret"
        >
          {secret}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </p>
    </div>
  );
}
