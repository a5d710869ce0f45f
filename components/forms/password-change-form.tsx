"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { changePasswordAction } from "@/lib/auth/actions";
import { PasswordChangeSchema, type PasswordChangeInput } from "@/lib/users/schemas";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";

export function PasswordChangeForm() {
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<PasswordChangeInput>({
    resolver: zodResolver(PasswordChangeSchema),
    defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      // Success signs the user in again and redirects home.
      const result = await changePasswordAction(values);
      if (!result.ok) {
        setFormError(result.formError ?? "The password was not changed.");
        for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
          form.setError(field as keyof PasswordChangeInput, { message: messages[0] });
        }
      }
    });
  });

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label="Change password"
    >
      <FormError message={formError} />
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
