"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { captchaChallengeAction, signInAction } from "@/lib/auth/actions";
import { SignInSchema, type SignInInput } from "@/lib/auth/schemas";
import { CaptchaWidget } from "@/lib/captcha/captcha-widget";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { MfaStepForm } from "./mfa-step-form";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // The CAPTCHA appears once the server says the account or ip has had too many failures.
  const [challenge, setChallenge] = useState<string | null>(null);
  const [captcha, setCaptcha] = useState<string | null>(null);
  // After a right password on an account with MFA: the 5-minute token for the code step. The
  // password itself is cleared from the form.
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const form = useForm<SignInInput>({
    resolver: zodResolver(SignInSchema),
    defaultValues: { email: "", password: "", callbackUrl },
  });
  const { errors } = form.formState;
  const onCaptcha = useCallback((payload: string | null) => setCaptcha(payload), []);

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      // On success the action redirects; it only returns when sign-in failed or needs a code.
      const result = await signInAction({ ...values, ...(captcha ? { altcha: captcha } : {}) });
      form.setValue("password", "");
      if (result.mfaToken) {
        setChallenge(null);
        setCaptcha(null);
        setMfaToken(result.mfaToken);
        return;
      }
      if (!result.ok) {
        setFormError(result.formError ?? "Sign-in failed.");
        form.setFocus("password");
        // A solution is good for one attempt: fetch a fresh challenge whenever one is needed.
        setCaptcha(null);
        setChallenge(result.captcha ? JSON.stringify(await captchaChallengeAction()) : null);
      }
    });
  });

  if (mfaToken) {
    return (
      <MfaStepForm
        mfaToken={mfaToken}
        callbackUrl={callbackUrl}
        onRestart={(message) => {
          setMfaToken(null);
          setFormError(message);
        }}
      />
    );
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Sign in">
      <FormError message={formError} />
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
