"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { confirmPasswordAction } from "@/lib/users/actions";
import { ReauthSchema, type ReauthInput } from "@/lib/users/admin-schemas";

/** Fresh password confirmation: unlocks role and status changes for 15 minutes. */
export function ConfirmPasswordForm() {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<ReauthInput>({
    resolver: zodResolver(ReauthSchema),
    defaultValues: { password: "" },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      const result = await confirmPasswordAction(values);
      if (!result.ok) {
        setFormError(result.formError ?? "Your password was not confirmed.");
        form.setError("password", { message: result.fieldErrors?.password?.[0] });
        return;
      }
      form.reset();
      router.refresh();
    });
  });

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-4"
      aria-label="Password confirmation"
    >
      <FormError message={formError} />
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
    </form>
  );
}
