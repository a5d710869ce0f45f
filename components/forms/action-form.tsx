import type { ComponentProps, ReactNode } from "react";
import { FormMessage, type FormStatus } from "@/components/ui/form-message";

/**
 * The frame of a form that a server action answers through useActionForm: posted by script,
 * validated by the shared schema rather than the browser (noValidate), named for assistive
 * technology by `label`, with the action's refusal or confirmation shown first.
 */
export function ActionForm({
  label,
  onSubmit,
  status,
  className,
  children,
}: {
  label: string;
  onSubmit: ComponentProps<"form">["onSubmit"];
  status: FormStatus;
  className: string;
  children: ReactNode;
}) {
  return (
    <form method="post" onSubmit={onSubmit} noValidate className={className} aria-label={label}>
      <FormMessage status={status} />
      {children}
    </form>
  );
}
