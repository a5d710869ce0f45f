"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** The recovery codes, shown once; the person confirms they saved them. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section
      className="space-y-4 rounded-lg border border-line bg-surface p-4"
      aria-labelledby="recovery-heading"
    >
      <h2 id="recovery-heading" className="font-semibold">
        Your recovery codes
      </h2>
      <p className="text-sm text-fg-muted">
        Each code signs you in once if you lose your authenticator. Save them somewhere safe (a
        password manager): they are shown only now.
      </p>
      <ol className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code} className="rounded bg-surface-muted px-2 py-1">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-3">
        <Button
          variant="secondary"
          onClick={() =>
            void navigator.clipboard
              ?.writeText(codes.join("\n"))
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          {copied ? "Copied" : "Copy codes"}
        </Button>
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </section>
  );
}
