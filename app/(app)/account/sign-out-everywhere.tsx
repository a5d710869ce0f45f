"use client";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-message";
import { signOutEverywhereAction } from "@/lib/auth/actions";

/** Ends every session of this account, on every device, this one included. */
export function SignOutEverywhere() {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Button
        variant="secondary"
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            // On success the action signs this browser out and redirects to /login.
            const result = await signOutEverywhereAction({});
            if (!result.ok) setError(result.formError ?? "That did not work. Please try again.");
          })
        }
      >
        Sign out everywhere
      </Button>
    </div>
  );
}
