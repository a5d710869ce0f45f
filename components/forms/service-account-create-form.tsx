"use client";
import { useRouter } from "next/navigation";
import { roleLabels } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createServiceAccountAction } from "@/lib/users/actions";
import { ServiceAccountCreateSchema } from "@/lib/users/admin-schemas";
import { ROLES } from "@/lib/users/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

/** A service account (ADR 025); on success, its page, where its tokens are made. */
export function ServiceAccountCreateForm() {
  const router = useRouter();
  const { form, onSubmit, pending, status } = useActionForm(
    ServiceAccountCreateSchema,
    createServiceAccountAction,
    {
      defaultValues: { name: "", role: "USER" },
      onSuccess: (data) => router.push(`/admin/users/${data.id}`),
    },
  );
  const { errors } = form.formState;
  return (
    <ActionForm
      onSubmit={onSubmit}
      status={status}
      className="space-y-5"
      label="Create a service account"
    >
      <Field
        label="Name"
        hint="What it is for, e.g. “Monitoring”."
        error={errors.name?.message}
        required
      >
        <Input autoComplete="off" {...form.register("name")} />
      </Field>
      <Field
        label="Role"
        hint="Its tokens can never do more than this role. An admin account needs a fresh password confirmation."
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
        Create service account
      </Button>
    </ActionForm>
  );
}
