"use client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createCategoryAction } from "@/lib/categories/actions";
import { CategoryCreateSchema } from "@/lib/categories/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export type StaffOption = { id: string; name: string };

export function CategoryCreateForm({ staff }: { staff: StaffOption[] }) {
  const { form, onSubmit, pending, status } = useActionForm(
    CategoryCreateSchema,
    createCategoryAction,
    {
      defaultValues: { name: "", defaultAssigneeId: "" },
      refresh: true,
      onSuccess: (_, form) => form.reset(),
    },
  );
  const { errors } = form.formState;

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-4" label="New category">
      <div className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
        <Field label="Name" error={errors.name?.message} required>
          <Input autoComplete="off" {...form.register("name")} />
        </Field>
        <Field label="Default assignee" error={errors.defaultAssigneeId?.message}>
          <Select {...form.register("defaultAssigneeId")}>
            <option value="">Nobody (unassigned)</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" loading={pending} className="sm:mt-[1.625rem]">
          Add category
        </Button>
      </div>
    </ActionForm>
  );
}
