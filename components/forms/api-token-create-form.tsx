"use client";
import { useState } from "react";
import { TokenOnce } from "@/components/tokens/token-once";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createApiTokenAction, createServiceTokenAction } from "@/lib/api-tokens/actions";
import {
  ApiTokenCreateSchema,
  DEFAULT_TOKEN_EXPIRY,
  TOKEN_EXPIRY_CHOICES,
  TOKEN_EXPIRY_LABELS,
  TOKEN_NAME_MAX,
} from "@/lib/api-tokens/schemas";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

export type ScopeOption = { name: string; label: string; description: string };

const box = "mt-0.5 size-4 shrink-0 accent-primary max-sm:size-5";

/**
 * A new personal access token (the account page) or, with `serviceUserId`, a service account's
 * (an admin on its page). Offers only the scopes the owner's role allows (the server checks
 * again); after creation the token is shown once.
 */
export function ApiTokenCreateForm({
  scopes,
  serviceUserId,
}: {
  scopes: ScopeOption[];
  serviceUserId?: string;
}) {
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const defaults = {
    name: "",
    scopes: scopes.some((s) => s.name === "tickets:read") ? ["tickets:read"] : [],
    expiresIn: DEFAULT_TOKEN_EXPIRY,
  };
  // The service account's id is added by the call, not a form field (its own action re-checks it).
  const { form, onSubmit, pending, status } = useActionForm(
    ApiTokenCreateSchema,
    (values) =>
      serviceUserId
        ? createServiceTokenAction({ ...values, userId: serviceUserId })
        : createApiTokenAction(values),
    {
      defaultValues: defaults,
      refresh: true,
      onSuccess: (data, form) => {
        setCreated({ name: data.name, token: data.token });
        form.reset(defaults);
      },
    },
  );
  const { errors } = form.formState;

  if (created) return <TokenOnce {...created} onDone={() => setCreated(null)} />;
  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-5" label="New API token">
      <Field
        label="Name"
        hint="What the token is for, e.g. “Monitoring” or “Laptop script”."
        error={errors.name?.message}
        required
      >
        <Input autoComplete="off" maxLength={TOKEN_NAME_MAX} {...form.register("name")} />
      </Field>
      <fieldset className="space-y-2" aria-describedby="token-scopes-error">
        <legend className="mb-1 text-sm font-medium">Scopes</legend>
        {scopes.map((s) => (
          <label key={s.name} className="flex min-h-11 items-start gap-2 text-sm sm:min-h-0">
            <input type="checkbox" value={s.name} className={box} {...form.register("scopes")} />
            <span>
              <span className="font-medium">{s.label}</span>{" "}
              <code className="text-xs text-fg-muted">{s.name}</code>
              <span className="block text-fg-muted">{s.description}</span>
            </span>
          </label>
        ))}
        <div id="token-scopes-error" aria-live="polite">
          {errors.scopes?.message && (
            <p className="text-sm font-medium text-danger-text">{errors.scopes.message}</p>
          )}
        </div>
      </fieldset>
      <Field label="Expires" error={errors.expiresIn?.message} required>
        <Select {...form.register("expiresIn")}>
          {TOKEN_EXPIRY_CHOICES.map((c) => (
            <option key={c} value={c}>
              {TOKEN_EXPIRY_LABELS[c]}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" loading={pending}>
        Create token
      </Button>
    </ActionForm>
  );
}
