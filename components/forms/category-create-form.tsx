"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createCategoryAction } from "@/lib/categories/actions";
import { CategoryCreateSchema, type CategoryCreateInput } from "@/lib/categories/schemas";

export type StaffOption = { id: string; name: string };

export function CategoryCreateForm({ staff }: { staff: StaffOption[] }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<CategoryCreateInput>({
    resolver: zodResolver(CategoryCreateSchema),
    defaultValues: { name: "", defaultAssigneeId: "" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      const result = await createCategoryAction(values);
      if (!result.ok) {
        setFormError(result.formError ?? "The category was not created.");
        for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
          form.setError(field as keyof CategoryCreateInput, { message: messages[0] });
        }
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
      aria-label="New category"
    >
      <FormError message={formError} />
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
    </form>
  );
}
