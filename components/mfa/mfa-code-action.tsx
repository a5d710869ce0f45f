"use client";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { disableMfaAction, regenerateRecoveryCodesAction } from "@/lib/auth/mfa/actions";
import { MfaCodeFormSchema } from "@/lib/auth/mfa/schemas";
import { OneTimeCodeInput } from "./mfa-code-field";
import { RecoveryCodes } from "./recovery-codes";

/** A change to one's MFA confirmed with a current code: new recovery codes, or turning it off. */
export function MfaCodeAction({ kind }: { kind: "regenerate" | "disable" }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  // The code is cleared after every answer: it is single-use either way.
  const { form, onSubmit, pending, status } = useActionForm(
    MfaCodeFormSchema,
    async (values) =>
      kind === "regenerate"
        ? await regenerateRecoveryCodesAction(values)
        : await disableMfaAction(values),
    {
      defaultValues: { code: "" },
      refresh: true,
      onSuccess: (data, form) => {
        form.reset();
        if (data && "recoveryCodes" in data) setCodes(data.recoveryCodes);
        else return "Two-factor authentication is off.";
      },
      onFailure: (_, form) => form.reset(),
    },
  );

  if (codes) return <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
  const label = kind === "regenerate" ? "New recovery codes" : "Turn off";
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label={label}>
      <FormMessage status={status} />
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
