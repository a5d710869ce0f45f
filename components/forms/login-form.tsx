"use client";
import { useCallback, useState } from "react";
import { captchaChallengeAction, signInAction } from "@/lib/auth/actions";
import { SignInSchema } from "@/lib/auth/schemas";
import { CaptchaWidget } from "@/components/captcha/captcha-widget";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { MfaStepForm } from "./mfa-step-form";
import { useActionForm } from "./use-action-form";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  // The CAPTCHA appears once the server says the account or ip has had too many failures.
  const [challenge, setChallenge] = useState<string | null>(null);
  const [captcha, setCaptcha] = useState<string | null>(null);
  // After a right password on an account with MFA: the 5-minute token for the code step. The
  // password itself is cleared from the form.
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const { form, onSubmit, pending, status, setStatus } = useActionForm(
    SignInSchema,
    // On success the action redirects; it only returns when sign-in failed or needs a code.
    (values) => signInAction({ ...values, ...(captcha ? { altcha: captcha } : {}) }),
    {
      defaultValues: { email: "", password: "", callbackUrl },
      onFailure: async (result, form) => {
        form.setValue("password", "");
        if (result.mfaToken) {
          setChallenge(null);
          setCaptcha(null);
          setMfaToken(result.mfaToken);
          return;
        }
        form.setFocus("password");
        // A solution is good for one attempt: fetch a fresh challenge whenever one is needed.
        setCaptcha(null);
        setChallenge(result.captcha ? JSON.stringify(await captchaChallengeAction()) : null);
      },
    },
  );
  const { errors } = form.formState;
  const onCaptcha = useCallback((payload: string | null) => setCaptcha(payload), []);

  if (mfaToken) {
    return (
      <MfaStepForm
        mfaToken={mfaToken}
        callbackUrl={callbackUrl}
        onRestart={(message) => {
          setMfaToken(null);
          setStatus({ error: message, success: null });
        }}
      />
    );
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Sign in">
      <FormMessage status={status} />
      <Field label="Email" error={errors.email?.message} required>
        <Input
          type="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          {...form.register("email")}
        />
      </Field>
      <Field label="Password" error={errors.password?.message} required>
        <Input type="password" autoComplete="current-password" {...form.register("password")} />
      </Field>
      {challenge && <CaptchaWidget challenge={challenge} onChange={onCaptcha} />}
      <Button type="submit" fullWidth loading={pending} disabled={Boolean(challenge) && !captcha}>
        Sign in
      </Button>
    </form>
  );
}
