"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Shows a generated one-time password once; it is not stored anywhere the admin can see again. */
export function OneTimePassword({ email, password }: { email: string; password: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
      data-testid="one-time-password"
    >
      <p>
        One-time password for <strong className="break-all">{email}</strong>. It is shown only now:
        hand it over in person or by another channel. They must change it at first sign-in.
      </p>
      <p className="flex flex-wrap items-center gap-3">
        <code
          className="rounded bg-surface px-2 py-1 font-mono text-base text-fg"
          data-testid="otp"
        >
          {password}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(password).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </p>
    </div>
  );
}
