import type { ComponentProps } from "react";
import { cn } from "./cn";

/** Shared look of text-like controls; the red border follows `aria-invalid`, set by <Field>. */
export const controlClasses = cn(
  "block w-full rounded-md border border-line-strong bg-surface px-3 text-base text-fg shadow-sm",
  "placeholder:text-fg-muted/80 focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-offset-0",
  "disabled:cursor-not-allowed disabled:bg-surface-muted disabled:opacity-70",
  "aria-[invalid=true]:border-danger aria-[invalid=true]:focus-visible:outline-danger",
);

export type InputProps = ComponentProps<"input">;

// text-base (16px) keeps iOS Safari from zooming into the field on focus.
export function Input({ className, type = "text", ...rest }: InputProps) {
  return <input type={type} className={cn(controlClasses, "min-h-11 py-2", className)} {...rest} />;
}
