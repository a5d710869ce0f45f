"use client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import {
  createCannedResponseAction,
  createSharedCannedResponseAction,
  updateCannedResponseAction,
  updateSharedCannedResponseAction,
} from "@/lib/canned/actions";
import {
  CANNED_BODY_MAX,
  CANNED_TITLE_MAX,
  CannedCreateSchema,
  CannedUpdateSchema,
} from "@/lib/canned/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

const BODY_HINT = "Markdown. Placeholders such as {{requester.firstName}} are filled on insert.";

/** A new canned response: personal, or (admins, `shared`) for the whole help desk. */
export function CannedCreateForm({ shared }: { shared: boolean }) {
  const { form, onSubmit, pending, status } = useActionForm(
    CannedCreateSchema,
    shared ? createSharedCannedResponseAction : createCannedResponseAction,
    {
      defaultValues: { title: "", body: "" },
      refresh: true,
      onSuccess: (_, form) => {
        form.reset({ title: "", body: "" });
        return "Saved.";
      },
    },
  );
  const { errors } = form.formState;
  const label = shared ? "New shared response" : "New personal response";
  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-4" label={label}>
      <Field label="Title" error={errors.title?.message} required>
        <Input autoComplete="off" maxLength={CANNED_TITLE_MAX} {...form.register("title")} />
      </Field>
      <Field label="Text" hint={BODY_HINT} error={errors.body?.message} required>
        <Textarea rows={5} maxLength={CANNED_BODY_MAX} {...form.register("body")} />
      </Field>
      <Button type="submit" loading={pending}>
        {shared ? "Add shared response" : "Add response"}
      </Button>
    </ActionForm>
  );
}

/** Editing one: title and text (a snippet stays personal or shared). */
export function CannedEditForm({
  canned,
  onDone,
}: {
  canned: { id: string; title: string; body: string; shared: boolean };
  onDone: () => void;
}) {
  const { form, onSubmit, pending, status } = useActionForm(
    CannedUpdateSchema,
    canned.shared ? updateSharedCannedResponseAction : updateCannedResponseAction,
    {
      defaultValues: { cannedId: canned.id, title: canned.title, body: canned.body },
      refresh: true,
      onSuccess: () => onDone(),
    },
  );
  const { errors } = form.formState;
  return (
    <ActionForm
      onSubmit={onSubmit}
      status={status}
      className="space-y-4"
      label={`Edit ${canned.title}`}
    >
      <input type="hidden" {...form.register("cannedId")} />
      <Field label="Title" error={errors.title?.message} required>
        <Input
          autoComplete="off"
          autoFocus
          maxLength={CANNED_TITLE_MAX}
          {...form.register("title")}
        />
      </Field>
      <Field label="Text" hint={BODY_HINT} error={errors.body?.message} required>
        <Textarea rows={6} maxLength={CANNED_BODY_MAX} {...form.register("body")} />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={pending}>
          Save
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </ActionForm>
  );
}
