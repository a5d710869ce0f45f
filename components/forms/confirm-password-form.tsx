"use client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { confirmPasswordAction } from "@/lib/users/actions";
import { ReauthSchema } from "@/lib/users/admin-schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

/** Fresh password confirmation: unlocks role and status changes for 15 minutes. */
export function ConfirmPasswordForm() {
  const { form, onSubmit, pending, status } = useActionForm(ReauthSchema, confirmPasswordAction, {
    defaultValues: { password: "" },
    refresh: true,
    onSuccess: (_, form) => form.reset(),
  });

  return (
    <ActionForm
      onSubmit={onSubmit}
      status={status}
      className="space-y-4"
      label="Password confirmation"
    >
      <Field
        label="Your password"
        hint="Needed before changing roles, account status or passwords; valid for 15 minutes."
        error={form.formState.errors.password?.message}
        required
      >
        <Input type="password" autoComplete="current-password" {...form.register("password")} />
      </Field>
      <Button type="submit" loading={pending}>
        Confirm password
      </Button>
    </ActionForm>
  );
}
