"use client";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { updateAttachmentSettingsAction } from "@/lib/settings/actions";
import { AttachmentSettingsSchema } from "@/lib/attachments/schemas";
import {
  ATTACHMENT_KINDS,
  KIND_EXTENSIONS,
  KIND_LABELS,
  type AttachmentKind,
} from "@/lib/attachments/types";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The allowed kinds of attachments, one checkbox per kind (at least one stays checked). */
export function AttachmentSettingsForm({ kinds }: { kinds: AttachmentKind[] }) {
  const errorId = useId();
  const { form, onSubmit, pending, status } = useActionForm(
    AttachmentSettingsSchema,
    updateAttachmentSettingsAction,
    {
      defaultValues: { kinds },
      refresh: true,
      onSuccess: (data) => (data.changed ? "Saved. Uploads use it within seconds." : "No change."),
    },
  );
  const error = form.formState.errors.kinds?.message;

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-4" label="Attachments">
      <fieldset aria-describedby={error ? errorId : undefined}>
        <legend className="mb-2 text-sm font-medium text-fg">
          Kinds of files people may attach
        </legend>
        <ul className="space-y-2">
          {ATTACHMENT_KINDS.map((kind) => (
            <li key={kind}>
              <label className="flex cursor-pointer items-start gap-3 pointer-coarse:min-h-11">
                <input
                  type="checkbox"
                  value={kind}
                  className="mt-0.5 size-4 shrink-0 accent-primary"
                  {...form.register("kinds")}
                />
                <span className="min-w-0">
                  <span className="block text-sm font-medium text-fg">
                    {capitalized(KIND_LABELS[kind])}
                  </span>
                  <span className="block text-xs break-words text-fg-muted">
                    {KIND_EXTENSIONS[kind].join(" ")}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        <p id={errorId} aria-live="polite" className="mt-2 text-sm font-medium text-danger-text">
          {error}
        </p>
      </fieldset>
      <Button type="submit" loading={pending}>
        Save
      </Button>
    </ActionForm>
  );
}
