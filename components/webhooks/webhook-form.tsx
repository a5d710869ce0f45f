"use client";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "@/components/forms/action-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { SecretOnce } from "@/components/webhooks/secret-once";
import { createWebhookAction, updateWebhookAction } from "@/lib/webhooks/actions";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { WebhookCreateSchema, WebhookUpdateSchema } from "@/lib/webhooks/schemas";

export type WebhookFormData = {
  id: string | null;
  name: string;
  url: string;
  events: string[];
  allowPrivate: boolean;
  active: boolean;
};

/** A webhook's name, URL, events and the private-address allowance; create or edit. */
export function WebhookForm({ webhook }: { webhook: WebhookFormData }) {
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const values = {
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    allowPrivate: webhook.allowPrivate,
    active: webhook.active,
  } as {
    name: string;
    url: string;
    events: string[];
    allowPrivate: boolean;
    active: boolean;
  };
  const create = useActionForm(WebhookCreateSchema, createWebhookAction, {
    defaultValues: values,
    onSuccess: (data) => {
      setCreated(data);
      return "Webhook created.";
    },
  });
  const update = useActionForm(WebhookUpdateSchema, updateWebhookAction, {
    defaultValues: { ...values, webhookId: webhook.id ?? "" },
    refresh: true,
    onSuccess: (message) => message,
  });
  const { form, onSubmit, pending, status } = (webhook.id ? update : create) as typeof create;
  const { errors } = form.formState;

  if (created) {
    return (
      <div className="space-y-4">
        <SecretOnce secret={created.secret} />
        <Link
          href={`/admin/webhooks/${created.id}`}
          className="inline-flex min-h-9 items-center rounded-md px-3 text-sm font-medium underline"
        >
          Open the webhook
        </Link>
      </div>
    );
  }

  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="Webhook">
      <Field label="Name" error={errors.name?.message} required>
        <Input autoComplete="off" {...form.register("name")} />
      </Field>
      <Field
        label="URL"
        hint="https:// (or http://) without a user name or password. Deliveries are POST requests."
        error={errors.url?.message}
        required
      >
        <Input
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          {...form.register("url")}
        />
      </Field>
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Events</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="flex cursor-pointer items-start gap-2 text-sm">
              <input
                type="checkbox"
                value={event}
                className="mt-0.5 size-4 accent-primary"
                {...form.register("events")}
              />
              <span>
                {WEBHOOK_EVENT_LABELS[event]}
                <span className="block font-mono text-xs text-fg-muted">{event}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.events?.message && (
          <p className="mt-1 text-sm font-medium text-danger-text">{errors.events.message}</p>
        )}
      </fieldset>
      <label className="flex cursor-pointer items-start gap-3 text-sm pointer-coarse:min-h-11">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-primary"
          {...form.register("allowPrivate")}
        />
        <span>
          <span className="font-medium">Allow private addresses</span>
          <span className="block text-fg-muted">
            Only for a receiver inside your network: private, loopback and link-local addresses are
            refused otherwise.
          </span>
        </span>
      </label>
      <label className="flex cursor-pointer items-center gap-3 text-sm font-medium pointer-coarse:min-h-11">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("active")} />
        Active
      </label>
      <Button type="submit" loading={pending}>
        {webhook.id ? "Save webhook" : "Create webhook"}
      </Button>
    </ActionForm>
  );
}
