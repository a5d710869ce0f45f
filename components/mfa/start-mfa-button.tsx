"use client";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { startMfaEnrollmentAction } from "@/lib/auth/mfa/actions";

export function StartMfaButton() {
  const { run, pending, status } = useAction({ refresh: true });
  return (
    <div className="space-y-3">
      <FormMessage status={status} />
      <Button loading={pending} onClick={() => run(() => startMfaEnrollmentAction({}))}>
        Set up two-factor authentication
      </Button>
    </div>
  );
}
