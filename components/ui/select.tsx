import type { ComponentProps } from "react";
import { ChevronDownIcon } from "./chevron-down-icon";
import { cn } from "./cn";
import { controlClasses } from "./input";

export type SelectProps = ComponentProps<"select">;

/** A native <select>: the most accessible picker on phones. Pass <option> children. */
export function Select({ className, children, ...rest }: SelectProps) {
  return (
    <div className="relative">
      <select
        className={cn(controlClasses, "min-h-11 appearance-none py-2 pr-10", className)}
        {...rest}
      >
        {children}
      </select>
      <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-fg-muted" />
    </div>
  );
}
