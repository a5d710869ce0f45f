"use client";
import { changePasswordAction } from "@/lib/users/actions";
import { PasswordChangeSchema } from "@/lib/users/schemas";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
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
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label="Change password"
    >
      <FormMessage status={status} />
      <Field label="Current password" error={errors.currentPassword?.message} required>
        <Input
          type="password"
          autoComplete="current-password"
          {...form.register("currentPassword")}
        />
      </Field>
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
      <Button type="submit" loading={pending}>
        Change password
      </Button>
    </form>
  );
}
