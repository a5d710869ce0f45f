"use client";
import { useRouter } from "next/navigation";
import { resetPasswordAction } from "@/lib/auth/reset-actions";
import { ResetPasswordSchema } from "@/lib/auth/reset-schemas";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const { form, onSubmit, pending, status } = useActionForm(
    ResetPasswordSchema,
    resetPasswordAction,
    {
      defaultValues: { token, newPassword: "", confirmPassword: "" },
      // Every session ended with the change: sign in with the new password (and, staff, a code).
      onSuccess: () => router.push("/login?passwordReset=1"),
    },
  );
  const { errors } = form.formState;
  return (
    <ActionForm
      onSubmit={onSubmit}
      status={status}
      className="space-y-5"
      label="Choose a new password"
    >
      <input type="hidden" {...form.register("token")} />
      <Field
        label="New password"
        hint="At least 12 characters; 15 or more is better. A passphrase of a few words works well."
        error={errors.newPassword?.message}
        required
      >
        <Input type="password" autoComplete="new-password" {...form.register("newPassword")} />
      </Field>
      <Field label="Confirm new password" error={errors.confirmPassword?.message} required>
        <Input type="password" autoComplete="new-password" {...form.register("confirmPassword")} />
      </Field>
      <Button type="submit" loading={pending} fullWidth>
        Set the new password
      </Button>
    </ActionForm>
  );
}
