"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { AttachmentPicker } from "@/components/attachments/attachment-picker";
import { UploadsWaitNote } from "@/components/attachments/uploads-wait-note";
import { useMessageFiles } from "@/components/attachments/use-message-files";
import { useUploads } from "@/components/attachments/use-uploads";
import { errorText } from "@/components/attachments/upload-rules";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { FormMessage, NO_STATUS } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { LockIcon } from "@/components/tickets/lock-icon";
import type { PlaceholderContext } from "@/lib/canned/placeholders";
import type { AttachmentLimits } from "@/lib/attachments/schemas";
import { triageTicketAction } from "@/lib/tickets/actions";
import { COMMENT_MAX, TicketTriageSchema } from "@/lib/tickets/schemas";
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_PRIORITIES,
  allowedTransitions,
  transitionBlocker,
  type TransitionActor,
} from "@/lib/tickets/status";
import { CannedReplyBox, type CannedTextareaProps } from "./canned-picker";
import { StaleNotice } from "./stale-notice";
import {
  FIELD_LABELS,
  describe,
  pendingFields,
  readDraft,
  rebase,
  isNewer,
  staleChanges,
  valuesOf,
  writeDraft,
  type Names,
  type TriageFieldName,
  type TriageSnapshot,
  type TriageValues,
} from "./triage-state";
import { useUnsavedWarning } from "./use-unsaved-warning";

type Option = { id: string; name: string };

export type TriageFormProps = {
  ticketId: string;
  /** The ticket as this render of the page saw it. */
  ticket: TriageSnapshot;
  actor: TransitionActor;
  /** Public replies are possible (the ticket is not closed). */
  canReply: boolean;
  canNote: boolean;
  categories: Option[];
  staff: Option[];
  viewerId: string;
  /** Shown before a pick; the upload route enforces them (attachmentLimits() on the page). */
  attachmentLimits: AttachmentLimits;
  /** Canned responses ("canned:use"): the values of their placeholders; absent: no picker. */
  canned?: PlaceholderContext;
};

/**
 * The staff ticket form (issue 11 §1): status, priority, category, assignee and the reply or
 * internal note box, sent together by ONE submit (triageTicketAction: one transaction, one
 * version check). Changed fields are marked until saved; leaving with unsaved work asks first;
 * a ticket changed meanwhile is shown, and "Reload and keep my reply" carries the reply over.
 */
export function TriageForm(props: TriageFormProps) {
  const { ticketId, viewerId } = props;
  const router = useRouter();
  const [base, setBase] = useState(props.ticket);
  const fresh = props.ticket;
  const names = useNames(props, base);
  const uploads = useUploads(props.attachmentLimits);

  const { form, onSubmit, pending, status, setStatus } = useActionForm(
    TicketTriageSchema,
    triageTicketAction,
    {
      defaultValues: valuesOf(ticketId, base, props.canReply),
      refresh: true,
      onSuccess: (data, form) => {
        const sent = form.getValues();
        const next: TriageSnapshot = {
          version: data.version,
          status: data.status,
          priority: sent.priority!,
          categoryId: sent.categoryId!,
          assigneeId: sent.assigneeId || null,
          commentTotal: base.commentTotal + (data.commentId ? 1 : 0),
        };
        setBase(next);
        // The body empties; the chosen visibility stays (several notes in a row stay notes).
        form.reset({ ...valuesOf(ticketId, next, props.canReply), visibility: sent.visibility });
        uploads.reset();
        // The work goes on where it was: the emptied reply box keeps the focus.
        requestAnimationFrame(() => form.setFocus("body"));
        writeDraft(ticketId, { body: "", visibility: "public" });
        return savedMessage(data.changed, data.commentId ? (sent.visibility ?? "public") : null);
      },
      // A refusal may be a stale version: fetch the ticket as it is now (the effect below then
      // shows what changed). The typed reply stays in the form.
      onFailure: () => router.refresh(),
    },
  );
  const values = form.watch() as TriageValues;
  const pendingList = pendingFields(base, values);
  const body = values.body ?? "";
  const hasText = body.trim() !== "";
  // Files attached to the reply or note (or on their way) count as written work, like its text.
  const hasFiles = uploads.ids.length > 0 || uploads.busy;
  const internal = values.visibility === "internal" || !props.canReply;
  const dirty = pendingList.length > 0 || hasText || hasFiles;
  const stale = isNewer(fresh, base) && dirty;
  useUnsavedWarning(dirty);
  const { drop, waitId, submit } = useMessageFiles(form.setValue, uploads, onSubmit, pending);

  // A fresher ticket (someone else's change, or an edit of the description here) while nothing
  // is in progress: take it over silently. With work in progress, StaleNotice asks instead.
  useEffect(() => {
    if (!isNewer(fresh, base) || dirty) return;
    // Syncs the pinned snapshot and react-hook-form's store from new server props; a render-time
    // update could not reset the form store.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBase(fresh);
    form.reset({
      ...valuesOf(ticketId, fresh, props.canReply),
      visibility: form.getValues("visibility"),
    });
  }, [base, fresh, dirty, form, ticketId, props.canReply]);

  // The reply draft survives a reload or leaving the page (this tab only).
  useEffect(() => {
    const draft = readDraft(ticketId);
    if (draft) {
      form.setValue("body", draft.body, { shouldDirty: true });
      if (props.canReply) form.setValue("visibility", draft.visibility);
    }
  }, [form, ticketId, props.canReply]);
  useEffect(() => {
    writeDraft(ticketId, { body, visibility: values.visibility });
  }, [ticketId, body, values.visibility]);

  const transitions = allowedTransitions(props.actor, base.status);
  const blocker =
    values.status !== base.status
      ? transitionBlocker(base.status, values.status, {
          assigned: values.assigneeId !== "",
          replying: hasText && !internal,
        })
      : null;

  function reload() {
    form.reset(rebase(base, fresh, form.getValues() as TriageValues));
    // The files picked stay with the reply.
    form.setValue("attachmentIds", uploads.ids);
    setBase(fresh);
    setStatus(NO_STATUS);
  }

  function takeIt() {
    form.setValue("assigneeId", viewerId, { shouldDirty: true });
    // Nothing else in progress: one click takes it, as before. Otherwise it joins the changes.
    if (pendingList.length === 0 && !hasText && !hasFiles) void onSubmit();
  }

  function discard() {
    form.reset(valuesOf(ticketId, base, props.canReply));
    uploads.reset();
    setStatus(NO_STATUS);
  }

  const label = submitLabel(values.status !== base.status ? values.status : null, pendingList, {
    text: hasText || hasFiles,
    internal,
  });
  const mark = (field: TriageFieldName) => pendingList.includes(field);
  const hint = (field: TriageFieldName) =>
    mark(field) ? `Not saved yet (was ${describe(field, fieldOf(base, field), names)})` : undefined;

  const messageBox = (canned?: CannedTextareaProps) => (
    <Field
      label={internal ? "Note" : "Message"}
      hint={canned ? "Type / at the start of a line to insert a canned response." : undefined}
      error={form.formState.errors.body?.message}
    >
      <Textarea
        rows={5}
        maxLength={COMMENT_MAX}
        readOnly={pending}
        className={internal ? "border-amber-400 bg-amber-50 dark:bg-amber-950/40" : undefined}
        placeholder={internal ? "Only technicians and admins will see this." : undefined}
        data-shortcut="reply-box"
        onPaste={drop.onPaste}
        {...canned}
        {...form.register("body")}
      />
    </Field>
  );

  return (
    <form
      method="post"
      onSubmit={submit}
      noValidate
      aria-label="Update ticket"
      data-testid="triage-form"
      data-mode={internal ? "internal" : "public"}
      data-dragging={drop.dragging || undefined}
      {...drop.dropProps}
      className={cn(
        "space-y-4 rounded-lg border border-line bg-surface p-4 sm:p-5",
        drop.dragging && "outline-2 outline-offset-2 outline-primary outline-dashed",
      )}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="triage-heading" className="text-base font-semibold">
          Update ticket
        </h2>
        {values.assigneeId !== viewerId && (
          <Button variant="secondary" size="sm" onClick={takeIt} disabled={pending || stale}>
            Take it
          </Button>
        )}
      </div>
      <input type="hidden" {...form.register("ticketId")} />
      <input type="hidden" {...form.register("version")} />
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4" data-testid="triage-fields">
        <Pending on={mark("status")}>
          <Field label="Status" hint={hint("status")} error={form.formState.errors.status?.message}>
            <Select {...form.register("status")} disabled={transitions.length === 0}>
              <option value={base.status}>{STATUS_LABELS[base.status]} (current)</option>
              {transitions.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </Select>
          </Field>
        </Pending>
        <Pending on={mark("priority")}>
          <Field label="Priority" hint={hint("priority")}>
            <Select {...form.register("priority")}>
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </Select>
          </Field>
        </Pending>
        <Pending on={mark("categoryId")}>
          <Field
            label="Category"
            hint={hint("categoryId")}
            error={form.formState.errors.categoryId?.message}
          >
            <Select {...form.register("categoryId")}>
              {[...names.categories].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
        </Pending>
        <Pending on={mark("assigneeId")}>
          <Field
            label="Assignee"
            hint={hint("assigneeId")}
            error={form.formState.errors.assigneeId?.message}
          >
            <Select {...form.register("assigneeId")}>
              <option value="">Unassigned</option>
              {[...names.people].map(([id, name]) => (
                <option key={id} value={id}>
                  {id === viewerId ? `${name} (me)` : name}
                </option>
              ))}
            </Select>
          </Field>
        </Pending>
      </div>
      {blocker && (
        <p className="text-sm font-medium text-danger-text" data-testid="status-blocker">
          {blocker}
        </p>
      )}

      <Visibility
        canReply={props.canReply}
        canNote={props.canNote}
        internal={internal}
        register={form.register("visibility")}
      />
      {internal && (
        <p
          className="flex items-center gap-2 text-sm font-semibold text-amber-900 dark:text-amber-200"
          data-testid="internal-warning"
        >
          <LockIcon /> Internal note — not visible to the requester
        </p>
      )}
      {props.canned ? (
        <CannedReplyBox
          context={props.canned}
          disabled={pending}
          onInsert={(body) => form.setValue("body", body, { shouldDirty: true })}
        >
          {messageBox}
        </CannedReplyBox>
      ) : (
        messageBox()
      )}
      <AttachmentPicker
        uploads={uploads}
        disabled={pending}
        error={errorText(form.formState.errors.attachmentIds)}
      />
      <Field
        label="Time spent (optional)"
        hint="Logged with this submit: 90, 1h 30m or 1.5h."
        error={form.formState.errors.timeSpent?.message}
        className="max-w-60"
      >
        <Input autoComplete="off" readOnly={pending} {...form.register("timeSpent")} />
      </Field>

      {stale && <StaleNotice changes={staleChanges(base, fresh)} names={names} onReload={reload} />}
      {/* A stale refusal is said by StaleNotice, which names what changed. */}
      <FormMessage status={stale ? NO_STATUS : status} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:items-center sm:justify-end">
        <UploadsWaitNote id={waitId} busy={uploads.busy} />
        {pendingList.length > 0 && (
          <p className="text-sm text-fg-muted sm:mr-auto" data-testid="pending-summary">
            Unsaved: {pendingList.map((f) => FIELD_LABELS[f]).join(", ")}
          </p>
        )}
        {dirty && (
          <Button variant="ghost" onClick={discard} disabled={pending}>
            Discard changes
          </Button>
        )}
        {(hasText || hasFiles) && internal ? (
          // Not the primary colour on purpose: the send button itself says "internal".
          <button
            type="submit"
            disabled={pending || stale || !!blocker || uploads.busy}
            aria-busy={pending || undefined}
            aria-describedby={uploads.busy ? waitId : undefined}
            data-testid="triage-submit"
            className="inline-flex min-h-11 items-center justify-center gap-2 rounded-md bg-amber-700 px-4 text-sm font-medium text-white shadow-sm hover:bg-amber-800 disabled:cursor-not-allowed disabled:opacity-60"
          >
            {pending ? <Spinner size="sm" label={null} /> : <LockIcon />}
            {label}
          </button>
        ) : (
          <Button
            type="submit"
            loading={pending}
            disabled={!dirty || stale || !!blocker || uploads.busy}
            aria-describedby={uploads.busy ? waitId : undefined}
            data-testid="triage-submit"
          >
            {label}
          </Button>
        )}
      </div>
    </form>
  );
}

const fieldOf = (base: TriageSnapshot, field: TriageFieldName) =>
  field === "assigneeId" ? (base.assigneeId ?? "") : base[field];

/** A changed field: an amber bar and tint, so unsaved work is visible at a glance. */
function Pending({ on, children }: { on: boolean; children: React.ReactNode }) {
  return (
    <div
      data-pending={on ? "true" : undefined}
      className={cn(
        "rounded-md p-2 transition-colors",
        on && "bg-amber-50 ring-2 ring-amber-400 dark:bg-amber-950/40 dark:ring-amber-600",
      )}
    >
      {children}
    </div>
  );
}

function Visibility({
  canReply,
  canNote,
  internal,
  register,
}: {
  canReply: boolean;
  canNote: boolean;
  internal: boolean;
  register: UseFormRegisterReturn<"visibility">;
}) {
  if (!canReply) {
    return (
      <p className="flex items-center gap-2 text-sm text-fg-muted" data-testid="closed-note-only">
        <LockIcon /> This ticket is closed: replies are off, internal notes are still possible.
      </p>
    );
  }
  if (!canNote) return null;
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-fg">Who can see what you write?</legend>
      <div className="grid grid-cols-2 gap-2">
        {(
          [
            ["public", "Public reply", "The requester sees it."],
            ["internal", "Internal note", "Staff only."],
          ] as const
        ).map(([value, label, help]) => {
          const on = (value === "internal") === internal;
          return (
            <label
              key={value}
              className={cn(
                "flex min-h-11 cursor-pointer flex-col justify-center rounded-md border px-3 py-2 text-sm",
                "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
                on
                  ? value === "internal"
                    ? "border-amber-500 bg-amber-100 text-amber-950 dark:border-amber-600 dark:bg-amber-900/60 dark:text-amber-50"
                    : "border-primary bg-surface text-fg ring-1 ring-primary"
                  : "border-line-strong bg-surface text-fg-muted",
              )}
            >
              <input
                type="radio"
                value={value}
                className="sr-only"
                data-shortcut={value === "internal" ? "note-mode" : "reply-mode"}
                {...register}
              />
              <span className="font-semibold">{label}</span>
              <span className="text-xs">{help}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

/** Categories and people the selects offer, with the current ones even if archived/inactive. */
function useNames(props: TriageFormProps, base: TriageSnapshot): Names {
  const { categories, staff } = props;
  return useMemo(() => {
    const people = new Map(staff.map((s) => [s.id, s.name]));
    const cats = new Map(categories.map((c) => [c.id, c.name]));
    if (!cats.has(base.categoryId)) cats.set(base.categoryId, "Current category (archived)");
    if (base.assigneeId && !people.has(base.assigneeId)) {
      people.set(base.assigneeId, "Current assignee (inactive)");
    }
    return { people, categories: cats };
  }, [categories, staff, base.categoryId, base.assigneeId]);
}

/** "Send and set Resolved", "Add note and save", "Set In progress", "Send reply", … */
export function submitLabel(
  status: TriageValues["status"] | null,
  pending: TriageFieldName[],
  { text, internal }: { text: boolean; internal: boolean },
): string {
  const verb = text ? (internal ? "Add note" : "Send") : "Save";
  if (status)
    return text ? `${verb} and set ${STATUS_LABELS[status]}` : `Set ${STATUS_LABELS[status]}`;
  if (pending.length > 0) return text ? `${verb} and save` : "Save changes";
  if (text) return internal ? "Add internal note" : "Send reply";
  return "Save changes";
}

function savedMessage(changed: string[], comment: "public" | "internal" | null): string {
  const parts: string[] = [];
  if (comment) parts.push(comment === "internal" ? "Internal note added" : "Reply sent");
  if (changed.length > 0) {
    const list = changed.map((f) => FIELD_LABELS[f as TriageFieldName].toLowerCase()).join(", ");
    parts.push(`${list} saved`);
  }
  if (parts.length === 0) return "Nothing changed.";
  const text = parts.join("; ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
