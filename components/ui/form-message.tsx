import { cn } from "./cn";

export type FormMessageProps = {
  /** Nothing is shown while empty; the live region itself stays mounted so updates are announced. */
  message?: string | null;
  id?: string;
  className?: string;
};

const icon = "mt-0.5 size-5 shrink-0";

/** What a form or an action panel has to say after its last attempt. */
export type FormStatus = { error: string | null; success: string | null };
export const NO_STATUS: FormStatus = { error: null, success: null };

/**
 * The one message area of a form or an action panel (see useActionForm / useAction): its error,
 * announced at once, and its confirmation, announced politely. Both regions stay mounted.
 */
export function FormMessage({ status }: { status: FormStatus }) {
  // One box, so an empty message area takes one gap of the form's spacing, not two.
  return (
    <div>
      <FormError message={status.error} />
      <FormSuccess message={status.success} />
    </div>
  );
}

const TONES = {
  error: {
    role: "alert",
    live: "assertive",
    testId: "form-error",
    box: "border-red-300 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200",
    path: "M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z",
  },
  success: {
    role: "status",
    live: "polite",
    testId: "form-success",
    box: "border-green-300 bg-green-50 text-green-800 dark:border-green-900 dark:bg-green-950/60 dark:text-green-200",
    path: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.857-9.809a.75.75 0 0 0-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 1 0-1.06 1.061l2.5 2.5a.75.75 0 0 0 1.137-.089l4-5.5Z",
  },
} as const;

/** A live region that stays mounted (so updates are announced) and shows its message, if any. */
function Notice({ tone, message, id, className }: FormMessageProps & { tone: keyof typeof TONES }) {
  const t = TONES[tone];
  return (
    <div id={id} role={t.role} aria-live={t.live} aria-atomic="true" data-testid={t.testId}>
      {message && (
        <div className={cn("flex gap-2 rounded-md border p-3 text-sm", t.box, className)}>
          <svg className={icon} viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path fillRule="evenodd" d={t.path} clipRule="evenodd" />
          </svg>
          <p>{message}</p>
        </div>
      )}
    </div>
  );
}

/** A form-level error (e.g. "Email or password is incorrect"), announced immediately. */
export function FormError(props: FormMessageProps) {
  return <Notice tone="error" {...props} />;
}

/** A form-level confirmation (e.g. "Password changed"), announced politely. */
export function FormSuccess(props: FormMessageProps) {
  return <Notice tone="success" {...props} />;
}
