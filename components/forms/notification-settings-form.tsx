"use client";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/email/kinds";
import { updateNotificationSettingsAction } from "@/lib/email/actions";
import { NotificationSettingsSchema } from "@/lib/email/schemas";
import { Button } from "@/components/ui/button";
import { ActionForm } from "./action-form";
import { useActionForm } from "./use-action-form";

type Props = {
  kinds: { kind: NotificationKind; on: boolean }[];
  categories: { id: string; name: string; followed: boolean }[] | null;
};

const box = "size-4 accent-primary max-sm:size-5";

export function NotificationSettingsForm({ kinds, categories }: Props) {
  const { form, onSubmit, pending, status } = useActionForm(
    NotificationSettingsSchema,
    updateNotificationSettingsAction,
    {
      defaultValues: {
        on: kinds.filter((k) => k.on).map((k) => k.kind),
        follow: (categories ?? []).filter((c) => c.followed).map((c) => c.id),
      },
      onSuccess: (message) => message,
    },
  );
  return (
    <ActionForm onSubmit={onSubmit} status={status} className="space-y-6" label="Email settings">
      <fieldset className="space-y-2">
        <legend className="mb-2 font-medium">Email me when</legend>
        {kinds.map(({ kind }) => (
          <label key={kind} className="flex min-h-11 items-center gap-2 text-sm sm:min-h-0">
            <input type="checkbox" value={kind} className={box} {...form.register("on")} />
            {NOTIFICATION_KINDS[kind].label}
          </label>
        ))}
      </fieldset>
      {categories && (
        <fieldset className="space-y-2">
          <legend className="mb-1 font-medium">Categories I follow</legend>
          <p className="text-sm text-fg-muted">
            An email for every new ticket in these categories (when “A new ticket in a category I
            follow” is on).
          </p>
          {categories.length === 0 && <p className="text-sm">There are no categories yet.</p>}
          {categories.map((c) => (
            <label key={c.id} className="flex min-h-11 items-center gap-2 text-sm sm:min-h-0">
              <input type="checkbox" value={c.id} className={box} {...form.register("follow")} />
              {c.name}
            </label>
          ))}
        </fieldset>
      )}
      <p className="text-sm text-fg-muted">
        Password reset emails are always sent. Internal notes are never emailed to requesters.
      </p>
      <Button type="submit" loading={pending}>
        Save email settings
      </Button>
    </ActionForm>
  );
}
