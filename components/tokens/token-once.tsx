"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A new token, shown once: copy it now, it is stored nowhere it could be shown again. */
export function TokenOnce({
  name,
  token,
  onDone,
}: {
  name: string;
  token: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
      data-testid="token-once"
    >
      <p>
        Your new token <strong className="break-all">{name}</strong>. Copy it now:{" "}
        <strong>you will not see it again.</strong> Keep it like a password.
      </p>
      <code
        className="block rounded bg-surface px-2 py-2 font-mono text-sm break-all text-fg select-all"
        data-testid="token-value"
      >
        {token}
      </code>
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(token).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy token"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
