"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import {
  createSavedViewAction,
  deleteSavedViewAction,
  renameSavedViewAction,
} from "@/lib/saved-views/actions";
import {
  SAVED_VIEW_NAME_MAX,
  SAVED_VIEWS_MAX,
  SavedViewCreateSchema,
  SavedViewRenameSchema,
} from "@/lib/saved-views/schemas";

export type SavedViewLink = { id: string; name: string; href: string };

/**
 * "Views": save the list as it is now (filters, sort, density) under a name, and rename or delete
 * one's views. The views themselves are pinned next to the queues (QueueTabs).
 */
export function SavedViewsPanel({ query, views }: { query: string; views: SavedViewLink[] }) {
  const router = useRouter();
  const panel = useRef<HTMLDetailsElement>(null);
  const save = useActionForm(SavedViewCreateSchema, createSavedViewAction, {
    defaultValues: { name: "", query },
    values: { name: "", query },
    resetOptions: { keepDirtyValues: true },
    refresh: true,
    onSuccess: (view, form) => {
      form.reset({ name: "", query });
      // The new tab says it was saved (and is the current one); the panel closes.
      if (panel.current) panel.current.open = false;
      router.replace(view.query ? `/tickets?${view.query}` : "/tickets", { scroll: false });
      return "View saved.";
    },
  });
  const full = views.length >= SAVED_VIEWS_MAX;

  return (
    <details ref={panel} className="group relative" data-testid="saved-views">
      <summary className="inline-flex min-h-9 cursor-pointer items-center rounded-md border border-line bg-surface px-3 text-xs font-medium select-none pointer-coarse:min-h-11">
        Views
      </summary>
      <div className="mt-2 w-full space-y-4 rounded-lg border border-line bg-surface p-4 shadow-sm sm:absolute sm:right-0 sm:z-20 sm:w-96">
        <form method="post" onSubmit={save.onSubmit} noValidate className="space-y-2">
          <input type="hidden" {...save.form.register("query")} />
          <Field
            label="Save this list as"
            hint={
              full
                ? `You have ${SAVED_VIEWS_MAX} views; delete one to save another.`
                : "Its filters, sort and row density, pinned next to the queues."
            }
            error={save.form.formState.errors.name?.message}
          >
            <Input
              autoComplete="off"
              maxLength={SAVED_VIEW_NAME_MAX}
              {...save.form.register("name")}
            />
          </Field>
          <FormMessage status={save.status} />
          <Button type="submit" size="sm" loading={save.pending} disabled={full}>
            Save view
          </Button>
        </form>
        {views.length > 0 && (
          <section aria-label="Your views" className="space-y-2 border-t border-line pt-3">
            <h2 className="text-sm font-semibold">Your views</h2>
            <ul className="space-y-2">
              {views.map((view) => (
                <ViewRow key={view.id} view={view} />
              ))}
            </ul>
          </section>
        )}
      </div>
    </details>
  );
}

function ViewRow({ view }: { view: SavedViewLink }) {
  const [editing, setEditing] = useState(false);
  const remove = useAction({ refresh: true });
  const rename = useActionForm(SavedViewRenameSchema, renameSavedViewAction, {
    defaultValues: { viewId: view.id, name: view.name },
    refresh: true,
    onSuccess: () => setEditing(false),
  });
  return (
    <li className="space-y-1" data-testid="saved-view-row">
      {editing ? (
        <form
          method="post"
          onSubmit={rename.onSubmit}
          noValidate
          className="flex items-start gap-2"
        >
          <Field
            label={`New name for ${view.name}`}
            hideLabel
            error={rename.form.formState.errors.name?.message}
            className="min-w-0 flex-1"
          >
            <Input
              autoComplete="off"
              autoFocus
              maxLength={SAVED_VIEW_NAME_MAX}
              {...rename.form.register("name")}
            />
          </Field>
          <Button type="submit" size="sm" loading={rename.pending}>
            Save
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <div className="flex items-center gap-2">
          <span className="min-w-0 flex-1 truncate text-sm" title={view.name}>
            {view.name}
          </span>
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Rename view ${view.name}`}
            onClick={() => {
              rename.form.reset({ viewId: view.id, name: view.name });
              setEditing(true);
            }}
          >
            Rename
          </Button>
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Delete view ${view.name}`}
            loading={remove.pending}
            onClick={() => remove.run(() => deleteSavedViewAction({ viewId: view.id }))}
          >
            Delete
          </Button>
        </div>
      )}
      <FormMessage status={editing ? rename.status : remove.status} />
    </li>
  );
}
