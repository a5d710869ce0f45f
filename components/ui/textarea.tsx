import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./input";

export type TextareaProps = ComponentProps<"textarea">;

export function Textarea({ className, rows = 5, ...rest }: TextareaProps) {
  return <textarea rows={rows} className={cn(controlClasses, "py-2", className)} {...rest} />;
}
