"use client";
import { roleLabels } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { Role } from "@/lib/auth/permissions";
import { changeUserRoleAction } from "@/lib/users/actions";
import { UserRoleChangeSchema } from "@/lib/users/admin-schemas";
import { ROLES } from "@/lib/users/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export function UserRoleForm({ userId, role }: { userId: string; role: Role }) {
  const { form, onSubmit, pending, status } = useActionForm(
    UserRoleChangeSchema,
    changeUserRoleAction,
    {
      defaultValues: { userId, role },
      refresh: true,
      onSuccess: (data) => (data.changed ? "Role changed; their sessions were ended." : undefined),
    },
  );

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-3" label="Change role">
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
    </ActionForm>
  );
}
