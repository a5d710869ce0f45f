"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { roleLabels } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError, FormSuccess } from "@/components/ui/form-message";
import { Select } from "@/components/ui/select";
import type { Role } from "@/lib/auth/permissions";
import { changeUserRoleAction } from "@/lib/users/actions";
import { UserRoleChangeSchema, type UserRoleChangeInput } from "@/lib/users/admin-schemas";
import { ROLES } from "@/lib/users/schemas";

export function UserRoleForm({ userId, role }: { userId: string; role: Role }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<UserRoleChangeInput>({
    resolver: zodResolver(UserRoleChangeSchema),
    defaultValues: { userId, role },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    setSuccess(null);
    startTransition(async () => {
      const result = await changeUserRoleAction(values);
      if (!result.ok) {
        setFormError(result.formError ?? "The role was not changed.");
        return;
      }
      setSuccess(result.data.changed ? "Role changed; their sessions were ended." : null);
      router.refresh();
    });
  });

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-3"
      aria-label="Change role"
    >
      <FormError message={formError} />
      <FormSuccess message={success} />
      <input type="hidden" {...form.register("userId")} />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Role" error={form.formState.errors.role?.message} className="min-w-48">
          <Select {...form.register("role")}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="secondary" loading={pending} className="mb-[1.625rem]">
          Change role
        </Button>
      </div>
    </form>
  );
}
