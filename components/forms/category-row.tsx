"use client";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage, NO_STATUS } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { plural } from "@/lib/dates";
import {
  moveCategoryAction,
  renameCategoryAction,
  setCategoryArchivedAction,
  setCategoryDefaultAssigneeAction,
} from "@/lib/categories/actions";
import { CategoryRenameSchema } from "@/lib/categories/schemas";
import type { StaffOption } from "./category-create-form";
import { useAction } from "./use-action";
import { useActionForm } from "./use-action-form";

export type CategoryRowData = {
  id: string;
  name: string;
  archived: boolean;
  ticketCount: number;
  defaultAssignee: { id: string; name: string; active: boolean } | null;
};

export function CategoryRow({
  category,
  staff,
  first,
  last,
}: {
  category: CategoryRowData;
  staff: StaffOption[];
  first: boolean;
  last: boolean;
}) {
  const { run, pending: running, status } = useAction({ refresh: true });
  const [editing, setEditing] = useState(false);
  // The staff picker is rendered on demand: one select of every staff member per row made the
  // page grow as categories × staff.
  const [choosing, setChoosing] = useState(false);
  const id = category.id;
  const rename = useActionForm(CategoryRenameSchema, renameCategoryAction, {
    defaultValues: { categoryId: id, name: category.name },
    refresh: true,
    onSuccess: () => setEditing(false),
  });
  const pending = running || rename.pending;

  // The default assignee may have left the staff: keep them visible as the current choice.
  const options =
    category.defaultAssignee && !staff.some((s) => s.id === category.defaultAssignee!.id)
      ? [
          ...staff,
          { id: category.defaultAssignee.id, name: `${category.defaultAssignee.name} (inactive)` },
        ]
      : staff;

  return (
    <li className="space-y-2 px-4 py-3" data-testid="category-row" aria-busy={pending || undefined}>
      <FormMessage status={status} />
      <div className="flex flex-wrap items-center gap-3">
        {editing ? (
          <form method="post" onSubmit={rename.onSubmit} noValidate className="min-w-0 flex-1">
            <div className="flex flex-wrap items-start gap-2">
              <Field
                label={`New name for ${category.name}`}
                hideLabel
                error={rename.form.formState.errors.name?.message}
                className="max-w-xs min-w-0 flex-1"
              >
                <Input autoComplete="off" autoFocus {...rename.form.register("name")} />
              </Field>
              <div className="flex min-h-11 items-center gap-2">
                <Button type="submit" size="sm" loading={rename.pending}>
                  Save
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
                  Cancel
                </Button>
              </div>
            </div>
            <FormMessage status={rename.status} />
          </form>
        ) : (
          <span className="min-w-0 flex-1 font-medium break-words">
            {category.name}{" "}
            <span className="text-sm font-normal text-fg-muted">
              ({plural(category.ticketCount, "ticket")})
            </span>
          </span>
        )}
        {category.archived && <Badge>archived</Badge>}
        <div className="flex flex-wrap gap-1">
          <Button
            size="sm"
            variant="ghost"
            disabled={first || pending}
            aria-label={`Move ${category.name} up`}
            onClick={() => run(() => moveCategoryAction({ categoryId: id, direction: "up" }))}
          >
            ↑
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={last || pending}
            aria-label={`Move ${category.name} down`}
            onClick={() => run(() => moveCategoryAction({ categoryId: id, direction: "down" }))}
          >
            ↓
          </Button>
          {!editing && (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                rename.form.reset({ categoryId: id, name: category.name });
                rename.setStatus(NO_STATUS);
                setEditing(true);
              }}
            >
              Rename
            </Button>
          )}
          <Button
            size="sm"
            variant="secondary"
            disabled={pending}
            onClick={() =>
              run(() => setCategoryArchivedAction({ categoryId: id, archived: !category.archived }))
            }
          >
            {category.archived ? "Unarchive" : "Archive"}
          </Button>
        </div>
      </div>
      {choosing ? (
        <label className="flex flex-wrap items-center gap-2 text-sm text-fg-muted">
          Default assignee
          <Select
            className="min-h-9 py-1 text-sm"
            value={category.defaultAssignee?.id ?? ""}
            disabled={pending}
            autoFocus
            onChange={(e) =>
              run(
                () =>
                  setCategoryDefaultAssigneeAction({
                    categoryId: id,
                    defaultAssigneeId: e.target.value,
                  }),
                { onSuccess: () => setChoosing(false) },
              )
            }
          >
            <option value="">Nobody (unassigned)</option>
            {options.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
          <Button size="sm" variant="ghost" onClick={() => setChoosing(false)}>
            Cancel
          </Button>
        </label>
      ) : (
        <p className="flex flex-wrap items-center gap-2 text-sm text-fg-muted">
          Default assignee:{" "}
          <span className="text-fg">
            {category.defaultAssignee
              ? `${category.defaultAssignee.name}${category.defaultAssignee.active ? "" : " (inactive)"}`
              : "nobody (unassigned)"}
          </span>
          <Button
            size="sm"
            variant="ghost"
            disabled={pending}
            aria-label={`Change the default assignee of ${category.name}`}
            onClick={() => setChoosing(true)}
          >
            Change
          </Button>
        </p>
      )}
    </li>
  );
}
