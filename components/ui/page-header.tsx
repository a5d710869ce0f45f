import type { ReactNode } from "react";
import { cn } from "./cn";

export type PageHeaderProps = {
  /** Rendered as the page's single h1. */
  title: ReactNode;
  description?: ReactNode;
  /** Buttons or links for the page's main actions; they wrap below the title on phones. */
  actions?: ReactNode;
  className?: string;
};

export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <div
      className={cn(
        "mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between",
        className,
      )}
    >
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight wrap-anywhere text-fg">{title}</h1>
        {description && <p className="mt-1 text-sm text-fg-muted">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 flex-wrap gap-3">{actions}</div>}
    </div>
  );
}
