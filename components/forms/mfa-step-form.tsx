"use client";
import { useState } from "react";
import { mfaSignInAction } from "@/lib/auth/actions";
import { MfaSignInSchema } from "@/lib/auth/mfa/schemas";
import { OneTimeCodeInput } from "@/components/mfa/mfa-code-field";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage, NO_STATUS } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { useActionForm } from "./use-action-form";

/** The second sign-in step: a code from the authenticator app, or a recovery code. */
export function MfaStepForm({
  mfaToken,
  callbackUrl,
  onRestart,
}: {
  mfaToken: string;
  callbackUrl: string;
  /** The token expired or the account changed: back to the password step with a message. */
  onRestart: (message: string) => void;
}) {
  const [recovery, setRecovery] = useState(false);
  // On success the action redirects; it only returns when the code was refused.
  const { form, onSubmit, pending, status, setStatus } = useActionForm(
    MfaSignInSchema,
    mfaSignInAction,
    {
      defaultValues: { mfaToken, code: "", callbackUrl },
      onFailure: (result, form) => {
        form.setValue("code", "");
        if (result.mfaExpired) return onRestart(result.formError);
        form.setFocus("code");
      },
    },
  );

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label="Two-factor authentication"
    >
      <p className="text-sm text-fg-muted">
        {recovery
          ? "Enter one of the recovery codes you saved when you set up two-factor authentication. Each works once."
          : "Enter the 6-digit code from your authenticator app."}
      </p>
      <FormMessage status={status} />
      {recovery ? (
        <Field label="Recovery code" error={form.formState.errors.code?.message} required>
          <Input
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={40}
            {...form.register("code")}
          />
        </Field>
      ) : (
        <Field label="Authentication code" error={form.formState.errors.code?.message} required>
          <OneTimeCodeInput autoFocus {...form.register("code")} />
        </Field>
      )}
      <Button type="submit" fullWidth loading={pending}>
        Verify
      </Button>
      <Button
        type="button"
        variant="ghost"
        fullWidth
        onClick={() => {
          setRecovery((r) => !r);
          setStatus(NO_STATUS);
          form.reset();
        }}
      >
        {recovery ? "Use a code from the app" : "Use a recovery code"}
      </Button>
    </form>
  );
}
