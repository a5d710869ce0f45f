"use client";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { mfaSignInAction } from "@/lib/auth/actions";
import { OneTimeCodeInput } from "@/components/mfa/mfa-code-field";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";

type Values = { code: string };

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
  const [formError, setFormError] = useState<string | null>(null);
  const [recovery, setRecovery] = useState(false);
  const [pending, startTransition] = useTransition();
  const form = useForm<Values>({ defaultValues: { code: "" } });

  const onSubmit = form.handleSubmit(({ code }) => {
    if (!code.trim()) {
      form.setError("code", { message: recovery ? "Enter a recovery code." : "Enter the code." });
      return;
    }
    setFormError(null);
    startTransition(async () => {
      const result = await mfaSignInAction({ mfaToken, code, callbackUrl });
      form.setValue("code", "");
      if (!result.ok && result.mfaExpired) return onRestart(result.formError ?? "Sign in again.");
      if (!result.ok) {
        setFormError(result.formError ?? "Sign-in failed.");
        form.setFocus("code");
      }
    });
  });

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
      <FormError message={formError} />
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
          setFormError(null);
          form.reset({ code: "" });
        }}
      >
        {recovery ? "Use a code from the app" : "Use a recovery code"}
      </Button>
    </form>
  );
}
