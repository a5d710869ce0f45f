"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ActionForm } from "@/components/forms/action-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { createPolicyAction, updatePolicyAction } from "@/lib/sla/actions";
import { PolicyCreateSchema, PolicyUpdateSchema, targetFields } from "@/lib/sla/schemas";
import { TICKET_PRIORITIES } from "@/lib/tickets/status";

export type PolicyFormData = {
  id: string | null;
  isDefault: boolean;
  name: string;
  active: boolean;
  priorities: string[];
  categoryIds: string[];
  calendarId: string;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  atRiskPercent: number;
};

const TARGETS = [
  ["firstResponse", "First response"],
  ["nextResponse", "Next response (after the requester writes)"],
  ["resolution", "Resolution"],
] as const;

const priorityLabel = (p: string) => p.charAt(0) + p.slice(1).toLowerCase();

/** A policy: its condition, calendar, three targets (hours and minutes) and "at risk" share. */
export function PolicyForm({
  policy,
  calendars,
  categories,
}: {
  policy: PolicyFormData;
  calendars: { id: string; name: string }[];
  categories: { id: string; name: string }[];
}) {
  const router = useRouter();
  const values = {
    name: policy.name,
    active: policy.active,
    priorities: policy.priorities,
    categoryIds: policy.categoryIds,
    calendarId: policy.calendarId,
    atRiskPercent: String(policy.atRiskPercent),
    ...Object.fromEntries(
      TARGETS.flatMap(([key]) => {
        const t = targetFields(policy[`${key}Minutes`]);
        return [
          [`${key}Hours`, t.hours],
          [`${key}Minutes`, t.minutes],
        ];
      }),
    ),
  } as {
    name: string;
    active: boolean;
    priorities: string[];
    categoryIds: string[];
    calendarId: string;
    atRiskPercent: string;
    firstResponseHours: string;
    firstResponseMinutes: string;
    nextResponseHours: string;
    nextResponseMinutes: string;
    resolutionHours: string;
    resolutionMinutes: string;
  };
  const create = useActionForm(PolicyCreateSchema, createPolicyAction, {
    defaultValues: values,
    onSuccess: () => router.push("/admin/service-levels"),
  });
  const update = useActionForm(PolicyUpdateSchema, updatePolicyAction, {
    defaultValues: { ...values, policyId: policy.id ?? "" },
    refresh: true,
    onSuccess: (message) => message,
  });
  const { form, onSubmit, pending, status } = (policy.id ? update : create) as typeof create;
  const { errors } = form.formState;

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="Policy">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={errors.name?.message} required>
          <Input autoComplete="off" {...form.register("name")} />
        </Field>
        <Field label="Calendar" error={errors.calendarId?.message} required>
          <Select {...form.register("calendarId")}>
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {policy.isDefault ? (
        <p className="text-sm text-fg-muted">
          The default policy is always active and applies to every ticket no other policy matches.
        </p>
      ) : (
        <>
          <label className="flex cursor-pointer items-center gap-3 text-sm font-medium pointer-coarse:min-h-11">
            <input type="checkbox" className="size-4 accent-primary" {...form.register("active")} />
            Active
          </label>
          <fieldset>
            <legend className="mb-2 text-sm font-medium">Priorities (none checked: any)</legend>
            <div className="flex flex-wrap gap-4">
              {TICKET_PRIORITIES.map((p) => (
                <label key={p} className="flex cursor-pointer items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    value={p}
                    className="size-4 accent-primary"
                    {...form.register("priorities")}
                  />
                  {priorityLabel(p)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend className="mb-2 text-sm font-medium">Categories (none checked: any)</legend>
            {categories.length === 0 ? (
              <p className="text-sm text-fg-muted">No categories yet.</p>
            ) : (
              // Many categories, or one with a long unbroken name, scroll inside this box: the
              // page below (targets, the submit button) keeps its place and width.
              <div className="flex max-h-64 flex-wrap gap-x-4 gap-y-2 overflow-y-auto rounded-md border border-line p-3">
                {categories.map((c) => (
                  <label
                    key={c.id}
                    className="flex max-w-full min-w-0 cursor-pointer items-center gap-2 text-sm wrap-anywhere"
                  >
                    <input
                      type="checkbox"
                      value={c.id}
                      className="size-4 shrink-0 accent-primary"
                      {...form.register("categoryIds")}
                    />
                    {c.name}
                  </label>
                ))}
              </div>
            )}
            {errors.categoryIds?.message && (
              <p className="mt-1 text-sm font-medium text-danger-text">
                {errors.categoryIds.message}
              </p>
            )}
          </fieldset>
        </>
      )}
      <fieldset className="space-y-3">
        <legend className="mb-1 text-sm font-medium">
          Targets in business time (both blank: no target)
        </legend>
        {TARGETS.map(([key, label]) => (
          <div key={key} className="grid gap-2 sm:grid-cols-[16rem_7rem_7rem] sm:items-start">
            <span className="text-sm sm:pt-3">{label}</span>
            <Field label={`${label}: hours`} hideLabel error={errors[`${key}Hours`]?.message}>
              <Input inputMode="numeric" placeholder="h" {...form.register(`${key}Hours`)} />
            </Field>
            <Field label={`${label}: minutes`} hideLabel error={errors[`${key}Minutes`]?.message}>
              <Input inputMode="numeric" placeholder="min" {...form.register(`${key}Minutes`)} />
            </Field>
          </div>
        ))}
      </fieldset>
      <Field
        label="At risk in the last (%)"
        hint="A ticket is at risk in this last share of a target's time (default 20)."
        error={errors.atRiskPercent?.message}
        className="max-w-xs"
      >
        <Input inputMode="numeric" {...form.register("atRiskPercent")} />
      </Field>
      <Button type="submit" loading={pending}>
        {policy.id ? "Save policy" : "Create policy"}
      </Button>
    </ActionForm>
  );
}
