"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { cn } from "@/components/ui/cn";
import { THEME_COOKIE, themeClass, type Theme } from "./theme";

const ONE_YEAR = 60 * 60 * 24 * 365;

const options: { value: Theme; label: string; icon: string }[] = [
  {
    value: "light",
    label: "Light",
    icon: "M10 2a.75.75 0 0 1 .75.75v1.5a.75.75 0 0 1-1.5 0v-1.5A.75.75 0 0 1 10 2ZM10 15a.75.75 0 0 1 .75.75v1.5a.75.75 0 0 1-1.5 0v-1.5A.75.75 0 0 1 10 15ZM10 7a3 3 0 1 0 0 6 3 3 0 0 0 0-6ZM15.657 5.404a.75.75 0 1 0-1.06-1.06l-1.061 1.06a.75.75 0 0 0 1.06 1.06l1.06-1.06ZM6.464 14.596a.75.75 0 1 0-1.06-1.06l-1.06 1.06a.75.75 0 0 0 1.06 1.06l1.06-1.06ZM18 10a.75.75 0 0 1-.75.75h-1.5a.75.75 0 0 1 0-1.5h1.5A.75.75 0 0 1 18 10ZM5 10a.75.75 0 0 1-.75.75h-1.5a.75.75 0 0 1 0-1.5h1.5A.75.75 0 0 1 5 10ZM14.596 15.657a.75.75 0 0 0 1.06-1.06l-1.06-1.061a.75.75 0 1 0-1.06 1.06l1.06 1.06ZM5.404 6.464a.75.75 0 0 0 1.06-1.06l-1.06-1.06a.75.75 0 1 0-1.061 1.06l1.06 1.06Z",
  },
  {
    value: "dark",
    label: "Dark",
    icon: "M7.455 2.004a.75.75 0 0 1 .26.77 7 7 0 0 0 9.958 7.967.75.75 0 0 1 1.067.853A8.5 8.5 0 1 1 6.647 1.921a.75.75 0 0 1 .808.083Z",
  },
  {
    value: "system",
    label: "System",
    icon: "M2 4.25A2.25 2.25 0 0 1 4.25 2h11.5A2.25 2.25 0 0 1 18 4.25v8.5A2.25 2.25 0 0 1 15.75 15h-3.105a3.501 3.501 0 0 0 1.1 1.677A.75.75 0 0 1 13.26 18H6.74a.75.75 0 0 1-.484-1.323A3.501 3.501 0 0 0 7.355 15H4.25A2.25 2.25 0 0 1 2 12.75v-8.5Zm1.5 0a.75.75 0 0 1 .75-.75h11.5a.75.75 0 0 1 .75.75v7.5a.75.75 0 0 1-.75.75H4.25a.75.75 0 0 1-.75-.75v-7.5Z",
  },
];

/** Saves the choice and applies it at once; the refresh then renders <html> the same way. */
function applyTheme(theme: Theme) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax${secure}`;
  const root = document.documentElement;
  root.classList.remove("light", "dark");
  const cls = themeClass(theme);
  if (cls) root.classList.add(cls);
}

export type ThemeToggleProps = {
  /** The theme the server rendered with (from the `theme` cookie). */
  current: Theme;
  /** Show the words next to the icons (e.g. in the phone menu). */
  showLabels?: boolean;
  className?: string;
};

/**
 * Light / dark / system. The choice goes into a cookie that the root layout reads, so the first
 * paint is already right and no inline script is needed under the CSP.
 */
export function ThemeToggle({ current, showLabels = false, className }: ThemeToggleProps) {
  const router = useRouter();
  const [theme, setTheme] = useState<Theme>(current);
  const [, startTransition] = useTransition();

  function choose(next: Theme) {
    setTheme(next);
    applyTheme(next);
    startTransition(() => router.refresh());
  }

  return (
    <div
      role="group"
      aria-label="Colour theme"
      className={cn("inline-flex rounded-md border border-line bg-surface-muted p-0.5", className)}
    >
      {options.map((option) => {
        const selected = theme === option.value;
        return (
          <button
            key={option.value}
            type="button"
            aria-pressed={selected}
            title={showLabels ? undefined : `${option.label} theme`}
            onClick={() => choose(option.value)}
            className={cn(
              "inline-flex min-h-10 min-w-10 flex-1 items-center justify-center gap-1.5 rounded px-2 text-sm font-medium pointer-coarse:min-h-11 pointer-coarse:min-w-11",
              selected ? "bg-surface text-fg shadow-sm" : "text-fg-muted hover:text-fg",
            )}
          >
            <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path fillRule="evenodd" clipRule="evenodd" d={option.icon} />
            </svg>
            <span className={showLabels ? undefined : "sr-only"}>{option.label}</span>
          </button>
        );
      })}
    </div>
  );
}
