"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError, FormSuccess } from "@/components/ui/form-message";
import { disableMfaAction, regenerateRecoveryCodesAction } from "@/lib/auth/mfa/actions";
import { MfaCodeFormSchema, type MfaCodeFormInput } from "@/lib/auth/mfa/schemas";
import { OneTimeCodeInput } from "./mfa-code-field";
import { RecoveryCodes } from "./recovery-codes";

/** A change to one's MFA confirmed with a current code: new recovery codes, or turning it off. */
export function MfaCodeAction({ kind }: { kind: "regenerate" | "disable" }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useForm<MfaCodeFormInput>({
    resolver: zodResolver(MfaCodeFormSchema),
    defaultValues: { code: "" },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    setSuccess(null);
    startTransition(async () => {
      const result =
        kind === "regenerate"
          ? await regenerateRecoveryCodesAction(values)
          : await disableMfaAction(values);
      form.reset();
      if (!result.ok) {
        setFormError(result.formError ?? "That did not work.");
        return;
      }
      if (result.data && "recoveryCodes" in result.data) setCodes(result.data.recoveryCodes);
      else setSuccess("Two-factor authentication is off.");
      router.refresh();
    });
  });

  if (codes) return <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
  const label = kind === "regenerate" ? "New recovery codes" : "Turn off";
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label={label}>
      <FormError message={formError} />
      <FormSuccess message={success} />
      <Field
        label="Current code from your app"
        error={form.formState.errors.code?.message}
        required
      >
        <OneTimeCodeInput {...form.register("code")} />
      </Field>
      <Button type="submit" variant={kind === "disable" ? "danger" : "primary"} loading={pending}>
        {label}
      </Button>
    </form>
  );
}
