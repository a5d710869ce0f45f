"use client";
import { forgotPasswordAction } from "@/lib/auth/reset-actions";
import { ForgotPasswordSchema } from "@/lib/auth/schemas";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export function ForgotPasswordForm() {
  // The answer is the same whether or not the address has an account.
  const { form, onSubmit, pending, status } = useActionForm(
    ForgotPasswordSchema,
    forgotPasswordAction,
    { defaultValues: { email: "" }, onSuccess: (message) => message },
  );
  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="Reset password">
      <Field label="Email" error={form.formState.errors.email?.message} required>
        <Input type="email" autoComplete="email" inputMode="email" {...form.register("email")} />
      </Field>
      <Button type="submit" loading={pending} fullWidth>
        Send a reset link
      </Button>
    </ActionForm>
  );
}
