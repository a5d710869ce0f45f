"use client";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { signOutEverywhereAction } from "@/lib/auth/actions";

/** Ends every session of this account, on every device, this one included. */
export function SignOutEverywhere() {
  const { run, pending, status } = useAction();
  return (
    <div className="space-y-3">
      <FormMessage status={status} />
      <Button
        variant="secondary"
        loading={pending}
        // On success the action signs this browser out and redirects to /login.
        onClick={() => run(() => signOutEverywhereAction({}))}
      >
        Sign out everywhere
      </Button>
    </div>
  );
}
