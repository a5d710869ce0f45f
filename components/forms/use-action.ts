import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { NO_STATUS, type FormStatus } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/action-result";
import { failureMessages } from "./action-failure";

/** What a successful result of R carries, and the refusal R can be (with its extra fields). */
export type Data<R> = Extract<R, { ok: true }> extends { data: infer T } ? T : never;
export type Failure<R> = Extract<R, { ok: false }>;

export type RunHandlers<R> = {
  /** After a success; a returned string is shown as the confirmation. */
  onSuccess?: (data: Data<R>) => string | void | Promise<string | void>;
  /** After a refusal, once its message is shown; `fieldErrors` are those `hasField` accepted. */
  onFailure?: (failure: Failure<R>, fieldErrors: Record<string, string>) => void | Promise<void>;
  /** Field errors the caller shows next to a field; every other one joins the form message. */
  hasField?: (name: string) => boolean;
};

export type UseActionOptions = {
  /** Re-render the server components after a success (the page shows the change). */
  refresh?: boolean;
};

/**
 * Runs server actions and keeps what to say about them: the pending flag, the refusal or the
 * confirmation (for <FormMessage status={status} />). For buttons and small controls without a
 * react-hook-form form; forms use useActionForm, which is built on this.
 */
export function useAction({ refresh = false }: UseActionOptions = {}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<FormStatus>(NO_STATUS);

  function run<R extends ActionResult<unknown>>(
    call: () => Promise<R>,
    { onSuccess, onFailure, hasField = () => false }: RunHandlers<R> = {},
  ) {
    setStatus(NO_STATUS);
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        const message = await onSuccess?.(result.data as Data<R>);
        if (typeof message === "string") setStatus({ error: null, success: message });
        if (refresh) router.refresh();
        return;
      }
      const { formError, fieldErrors } = failureMessages(result, hasField);
      setStatus({ error: formError, success: null });
      await onFailure?.(result as Failure<R>, fieldErrors);
    });
  }

  return { run, pending, status, setStatus };
}
