"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/action";
import {
  moveCategoryAction,
  renameCategoryAction,
  setCategoryArchivedAction,
  setCategoryDefaultAssigneeAction,
} from "@/lib/categories/actions";
import { CategoryNameSchema } from "@/lib/categories/schemas";
import type { StaffOption } from "./category-create-form";

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
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  // The staff picker is rendered on demand: one select of every staff member per row made the
  // page grow as categories × staff.
  const [choosing, setChoosing] = useState(false);
  const [name, setName] = useState(category.name);
  const id = category.id;

  function run(action: () => Promise<ActionResult<unknown>>, after?: () => void) {
    setError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setError(result.formError ?? "That did not work.");
        return;
      }
      after?.();
      router.refresh();
    });
  }

  const rename = () => {
    const parsed = CategoryNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Enter a name.");
    run(
      () => renameCategoryAction({ categoryId: id, name: parsed.data }),
      () => setEditing(false),
    );
  };

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
      <FormError message={error} />
      <div className="flex flex-wrap items-center gap-3">
        {editing ? (
          <form
            method="post"
            className="flex flex-1 flex-wrap items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              rename();
            }}
          >
            <Input
              aria-label={`New name for ${category.name}`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              className="max-w-xs"
              autoFocus
            />
            <Button type="submit" size="sm" loading={pending}>
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <span className="min-w-0 flex-1 font-medium break-words">
            {category.name}{" "}
            <span className="text-sm font-normal text-fg-muted">
              ({category.ticketCount} tickets)
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
            <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>
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
                () => setChoosing(false),
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
