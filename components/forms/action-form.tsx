import type { ComponentProps, ReactNode } from "react";
import { FormMessage, type FormStatus } from "@/components/ui/form-message";

/**
 * The frame of a form that a server action answers through useActionForm: posted by script,
 * validated by the shared schema rather than the browser (noValidate), named for assistive
 * technology by `label`, with the action's refusal or confirmation shown first. Other props (drop
 * handlers, data attributes) go to the <form>.
 */
export function ActionForm({
  label,
  onSubmit,
  status,
  className,
  children,
  ...rest
}: {
  label: string;
  onSubmit: ComponentProps<"form">["onSubmit"];
  status: FormStatus;
  className: string;
  children: ReactNode;
} & Omit<ComponentProps<"form">, "method" | "noValidate" | "aria-label">) {
  return (
    <form
      {...rest}
      method="post"
      onSubmit={onSubmit}
      noValidate
      className={className}
      aria-label={label}
    >
      <FormMessage status={status} />
      {children}
    </form>
  );
}
