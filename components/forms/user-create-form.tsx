"use client";
import Link from "next/link";
import { useState } from "react";
import { OneTimePassword } from "@/components/admin/one-time-password";
import { roleLabels } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createUserAction } from "@/lib/users/actions";
import { UserAdminCreateSchema } from "@/lib/users/admin-schemas";
import { ROLES } from "@/lib/users/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export function UserCreateForm() {
  const [created, setCreated] = useState<{ id: string; email: string; otp: string } | null>(null);
  const { form, onSubmit, pending, status } = useActionForm(
    UserAdminCreateSchema,
    createUserAction,
    {
      defaultValues: { name: "", email: "", role: "USER" },
      onSuccess: (data, form) => {
        setCreated({ id: data.id, email: data.email, otp: data.oneTimePassword });
        form.reset();
      },
    },
  );
  const { errors } = form.formState;

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
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="Create a user">
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
    </ActionForm>
  );
}
