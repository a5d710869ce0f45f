"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/forms/use-action";
import { SecretOnce } from "@/components/webhooks/secret-once";
import {
  deleteWebhookAction,
  rotateWebhookSecretAction,
  sendTestEventAction,
  setWebhookActiveAction,
} from "@/lib/webhooks/actions";

/** Send a test event, turn on or off, rotate the secret, delete. */
export function WebhookControls({ webhook }: { webhook: { id: string; active: boolean } }) {
  const router = useRouter();
  const { run, pending, status } = useAction({ refresh: true });
  const [secret, setSecret] = useState<string | null>(null);
  const webhookId = webhook.id;
  return (
    <div className="space-y-3" aria-busy={pending || undefined}>
      <FormMessage status={status} />
      {secret && <SecretOnce secret={secret} />}
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          disabled={pending || !webhook.active}
          onClick={() => run(() => sendTestEventAction({ webhookId }), { onSuccess: (m) => m })}
        >
          Send test event
        </Button>
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run(() => setWebhookActiveAction({ webhookId, active: !webhook.active }), {
              onSuccess: (m) => m,
            })
          }
        >
          {webhook.active ? "Disable" : "Enable"}
        </Button>
        <ConfirmButton
          label="Rotate secret"
          confirmLabel="Rotate the secret"
          question="The old secret stops working at once. Rotate?"
          pending={pending}
          onConfirm={() =>
            run(() => rotateWebhookSecretAction({ webhookId }), {
              onSuccess: (data) => {
                setSecret(data.secret);
                return "New secret made: update the receiver.";
              },
            })
          }
        />
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete the webhook"
          question="Delete this webhook and its delivery log?"
          variant="danger"
          pending={pending}
          onConfirm={() =>
            run(() => deleteWebhookAction({ webhookId }), {
              onSuccess: () => router.push("/admin/webhooks"),
            })
          }
        />
      </div>
    </div>
  );
}
