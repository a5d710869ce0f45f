import type { ReactNode } from "react";
import { cn } from "./cn";

export type EmptyStateProps = {
  title: ReactNode;
  description?: ReactNode;
  /** A decorative icon (it is hidden from screen readers). */
  icon?: ReactNode;
  /** Usually a Button or a Link styled with buttonVariants(). */
  action?: ReactNode;
  className?: string;
};

export function EmptyState({ title, description, icon, action, className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center rounded-lg border border-dashed border-line-strong px-4 py-10 text-center sm:px-6",
        className,
      )}
    >
      {icon && (
        <div className="mb-3 text-fg-muted [&>svg]:size-10" aria-hidden="true">
          {icon}
        </div>
      )}
      <h2 className="text-base font-semibold text-fg">{title}</h2>
      {description && <p className="mt-1 max-w-prose text-sm text-fg-muted">{description}</p>}
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}
