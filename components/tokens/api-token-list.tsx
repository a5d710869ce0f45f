"use client";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useAction } from "@/components/forms/use-action";
import { Badge } from "@/components/ui/badge";
import { FormMessage } from "@/components/ui/form-message";
import { Time } from "@/components/ui/time";
import { revokeApiTokenAction } from "@/lib/api-tokens/actions";
import type { TokenRow } from "@/lib/api-tokens/queries";

/** Live tokens (revoked ones leave the list), each with a two-step Revoke. */
export function ApiTokenList({ tokens }: { tokens: TokenRow[] }) {
  const { run, pending, status } = useAction({ refresh: true });
  return (
    <div className="space-y-3">
      <FormMessage status={status} />
      {tokens.length === 0 ? (
        <p className="text-sm text-fg-muted">No tokens yet.</p>
      ) : (
        <ul className="divide-y divide-line" aria-label="API tokens">
          {tokens.map((t) => (
            <li key={t.id} className="space-y-2 py-3" data-testid="token-row">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="font-medium break-all">{t.name}</span>
                <code className="text-xs text-fg-muted">{t.prefix}…</code>
                {t.expired && <Badge tone="danger">expired</Badge>}
              </div>
              <p className="flex flex-wrap gap-1">
                {t.scopes.map((s) => (
                  <Badge key={s} tone="info">
                    {s}
                  </Badge>
                ))}
              </p>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-fg-muted">
                <dt>Created</dt>
                <dd>
                  <Time value={t.created} />
                </dd>
                <dt>Expires</dt>
                <dd>{t.expires ? <Time value={t.expires} /> : "never"}</dd>
                <dt>Last used</dt>
                <dd className="break-all">
                  {t.lastUsed ? (
                    <>
                      <Time value={t.lastUsed} />
                      {t.lastUsedIp && ` from ${t.lastUsedIp}`}
                    </>
                  ) : (
                    "never"
                  )}
                </dd>
              </dl>
              <ConfirmButton
                label="Revoke"
                confirmLabel="Yes, revoke"
                question={`Revoke “${t.name}”? Anything using it stops working at once.`}
                variant="danger"
                pending={pending}
                onConfirm={() =>
                  run(() => revokeApiTokenAction({ tokenId: t.id }), {
                    onSuccess: () => `“${t.name}” was revoked.`,
                  })
                }
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
