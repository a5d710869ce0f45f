"use client";
import { changePasswordAction } from "@/lib/users/actions";
import { PasswordChangeSchema } from "@/lib/users/schemas";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "./action-form";
import { NewPasswordFields } from "./new-password-fields";
import { useActionForm } from "./use-action-form";

export function PasswordChangeForm() {
  // Success signs the user in again and redirects home.
  const { form, onSubmit, pending, status } = useActionForm(
    PasswordChangeSchema,
    changePasswordAction,
    { defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" } },
  );
  const { errors } = form.formState;

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="Change password">
      <Field label="Current password" error={errors.currentPassword?.message} required>
        <Input
          type="password"
          autoComplete="current-password"
          {...form.register("currentPassword")}
        />
      </Field>
      <NewPasswordFields
        newPassword={form.register("newPassword")}
        confirmPassword={form.register("confirmPassword")}
        errors={{
          newPassword: errors.newPassword?.message,
          confirmPassword: errors.confirmPassword?.message,
        }}
      />
      <Button type="submit" loading={pending}>
        Change password
      </Button>
    </ActionForm>
  );
}
