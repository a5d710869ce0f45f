"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { OneTimePassword } from "@/components/admin/one-time-password";
import { roleLabels } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createUserAction } from "@/lib/users/actions";
import { UserAdminCreateSchema, type UserAdminCreateInput } from "@/lib/users/admin-schemas";
import { ROLES } from "@/lib/users/schemas";

export function UserCreateForm() {
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; email: string; otp: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<UserAdminCreateInput>({
    resolver: zodResolver(UserAdminCreateSchema),
    defaultValues: { name: "", email: "", role: "USER" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      const result = await createUserAction(values);
      if (!result.ok) {
        setFormError(result.formError ?? "The account was not created.");
        for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
          form.setError(field as keyof UserAdminCreateInput, { message: messages[0] });
        }
        return;
      }
      setCreated({
        id: result.data.id,
        email: result.data.email,
        otp: result.data.oneTimePassword,
      });
      form.reset();
    });
  });

  if (created) {
    return (
      <div className="space-y-4">
        <OneTimePassword email={created.email} password={created.otp} />
        <div className="flex flex-wrap gap-3">
          <Link href={`/admin/users/${created.id}`} className="text-sm font-medium underline">
            Open the new account
          </Link>
          <Button size="sm" variant="secondary" onClick={() => setCreated(null)}>
            Create another
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label="Create a user"
    >
      <FormError message={formError} />
      <Field label="Name" error={errors.name?.message} required>
        <Input autoComplete="off" {...form.register("name")} />
      </Field>
      <Field label="Email" error={errors.email?.message} required>
        <Input type="email" autoComplete="off" {...form.register("email")} />
      </Field>
      <Field
        label="Role"
        hint="Creating an admin needs a fresh password confirmation."
        error={errors.role?.message}
        required
      >
        <Select {...form.register("role")}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {roleLabels[role]}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" loading={pending}>
        Create user
      </Button>
    </form>
  );
}
