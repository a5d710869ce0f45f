"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionForm } from "@/components/forms/action-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { confirmMfaEnrollmentAction } from "@/lib/auth/mfa/actions";
import { Input } from "@/components/ui/input";
import { MfaEnableFormSchema } from "@/lib/auth/mfa/schemas";
import { OneTimeCodeInput } from "./mfa-code-field";
import { RecoveryCodes } from "./recovery-codes";

/** Step 2 of the setup: scan (or type the key), confirm a code, then save the recovery codes. */
export function MfaEnrollment({ qr, manualKey }: { qr: string; manualKey: string }) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const { form, onSubmit, pending, status } = useActionForm(
    MfaEnableFormSchema,
    confirmMfaEnrollmentAction,
    {
      defaultValues: { password: "", code: "" },
      onSuccess: (data, form) => {
        form.reset();
        setCodes(data.recoveryCodes);
      },
      onFailure: (_, form) => {
        form.reset();
        form.setFocus("code");
      },
    },
  );

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          // Turning MFA on ended every session, this one too: sign in again, with a code.
          router.push("/login?mfaEnabled=1");
        }}
      />
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Scan the QR code</CardTitle>
        <CardDescription>
          Scan it with your authenticator app, or type the key by hand. Then enter your password and
          the 6-digit code the app shows. You will then sign in again, with a code, on every device.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        {/* A data: URL rendered on the server: no third party sees the secret. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={qr}
          alt="QR code for your authenticator app"
          width={220}
          height={220}
          className="rounded-md border border-line bg-white"
        />
        <div className="space-y-1">
          <p className="text-sm text-fg-muted">Key for manual entry (time-based, 6 digits, 30 s)</p>
          <p className="font-mono text-base break-all select-all" data-testid="mfa-manual-key">
            {manualKey}
          </p>
        </div>
        <ActionForm
          onSubmit={onSubmit}
          status={status}
          className="space-y-4"
          label="Confirm two-factor authentication"
        >
          <Field label="Password" error={form.formState.errors.password?.message} required>
            <Input type="password" autoComplete="current-password" {...form.register("password")} />
          </Field>
          <Field label="Code from the app" error={form.formState.errors.code?.message} required>
            <OneTimeCodeInput {...form.register("code")} />
          </Field>
          <Button type="submit" loading={pending}>
            Turn on
          </Button>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
