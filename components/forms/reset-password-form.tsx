"use client";
import { useRouter } from "next/navigation";
import { resetPasswordAction } from "@/lib/auth/reset-actions";
import { ResetPasswordSchema } from "@/lib/auth/reset-schemas";
import { Button } from "@/components/ui/button";
import { ActionForm } from "./action-form";
import { NewPasswordFields } from "./new-password-fields";
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
      <NewPasswordFields
        newPassword={form.register("newPassword")}
        confirmPassword={form.register("confirmPassword")}
        errors={{
          newPassword: errors.newPassword?.message,
          confirmPassword: errors.confirmPassword?.message,
        }}
      />
      <Button type="submit" loading={pending} fullWidth>
        Set the new password
      </Button>
    </ActionForm>
  );
}
