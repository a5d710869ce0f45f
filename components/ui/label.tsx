import type { ComponentProps } from "react";
import { cn } from "./cn";

export type LabelProps = ComponentProps<"label"> & {
  /** Shows a "(required)" marker; the control itself should carry `required`/`aria-required`. */
  required?: boolean;
};

export function Label({ className, required, children, ...rest }: LabelProps) {
  return (
    <label className={cn("block text-sm font-medium text-fg", className)} {...rest}>
      {children}
      {required && <span className="ml-1 font-normal text-fg-muted">(required)</span>}
    </label>
  );
}
