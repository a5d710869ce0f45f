"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-message";
import { startMfaEnrollmentAction } from "@/lib/auth/mfa/actions";

export function StartMfaButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Button
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await startMfaEnrollmentAction({});
            if (!result.ok) setError(result.formError ?? "That did not work.");
            else router.refresh();
          })
        }
      >
        Set up two-factor authentication
      </Button>
    </div>
  );
}
