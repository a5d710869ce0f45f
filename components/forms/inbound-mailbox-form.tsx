"use client";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { checkMailboxNowAction, updateInboundMailboxAction } from "@/lib/email/actions";
import {
  InboundMailboxFormSchema,
  type InboundMailboxFormInput,
} from "@/lib/email/inbound/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

const select = "min-h-11 w-full rounded-md border border-line bg-surface px-2 sm:min-h-9";
const box = "size-4 accent-primary max-sm:size-5";

/** The help desk mailbox Tessera reads (IMAP). The secret is never sent back to the browser. */
export function InboundMailboxForm(props: {
  values: Omit<InboundMailboxFormInput, "secret">;
  secretSaved: boolean;
  categories: { id: string; name: string }[];
}) {
  const { form, onSubmit, pending, status } = useActionForm(
    InboundMailboxFormSchema,
    updateInboundMailboxAction,
    {
      defaultValues: { ...props.values, secret: "" },
      refresh: true,
      onSuccess: (data, f) => {
        f.setValue("secret", "");
        return data.changed ? "Saved. The mailbox is read at the next interval." : "No change.";
      },
    },
  );
  const check = useAction({ refresh: true });
  const { errors } = form.formState;
  return (
    <div className="space-y-4">
      <ActionForm onSubmit={onSubmit} status={status} className="space-y-4" label="Incoming email">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" className={box} {...form.register("enabled")} />
          Read this mailbox and turn its mail into tickets and replies
        </label>
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
          <Field label="IMAP server" error={errors.host?.message}>
            <Input autoComplete="off" placeholder="imap.example.com" {...form.register("host")} />
          </Field>
          <Field label="Port" error={errors.port?.message}>
            <Input inputMode="numeric" {...form.register("port")} />
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className={box} {...form.register("secure")} />
          TLS from the start (port 993); otherwise STARTTLS when the server offers it
        </label>
        <Field label="User" error={errors.user?.message}>
          <Input autoComplete="off" {...form.register("user")} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-[10rem_1fr]">
          <Field label="Sign in with">
            <select className={select} {...form.register("auth")}>
              <option value="password">Password</option>
              <option value="oauth2">OAuth2 access token</option>
            </select>
          </Field>
          <Field
            label="Password or token"
            hint={
              props.secretSaved ? "Saved (encrypted). Leave empty to keep it." : "Not saved yet."
            }
            error={errors.secret?.message}
          >
            <Input type="password" autoComplete="new-password" {...form.register("secret")} />
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Folder to read" error={errors.folder?.message}>
            <Input {...form.register("folder")} />
          </Field>
          <Field label="Look every (minutes)" error={errors.everyMinutes?.message}>
            <Input inputMode="numeric" {...form.register("everyMinutes")} />
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="After reading a message">
            <select className={select} {...form.register("processed")}>
              <option value="seen">Mark it read</option>
              <option value="move">Move it to the folder on the right</option>
              <option value="delete">Delete it</option>
            </select>
          </Field>
          <Field label="Folder for read mail" error={errors.processedFolder?.message}>
            <Input {...form.register("processedFolder")} />
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Mail from an address without an account">
            <select className={select} {...form.register("unknownSenders")}>
              <option value="refuse">Refuse it (recorded on the Email page)</option>
              <option value="create">Open an account for the sender</option>
            </select>
          </Field>
          <Field label="Category of tickets opened by email">
            <select className={select} {...form.register("categoryId")}>
              <option value="">The first category</option>
              {props.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Button type="submit" loading={pending}>
          Save
        </Button>
      </ActionForm>
      <div className="space-y-2 border-t border-line pt-4">
        <Button
          variant="secondary"
          loading={check.pending}
          onClick={() =>
            check.run(() => checkMailboxNowAction({}), {
              onSuccess: (data) => data,
            })
          }
        >
          Check the mailbox now
        </Button>
        <FormMessage status={check.status} />
      </div>
    </div>
  );
}
