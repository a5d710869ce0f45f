"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { cn } from "@/components/ui/cn";
import { DENSITY_COOKIE } from "@/lib/tickets/density";
import type { ListDensity } from "@/lib/tickets/schemas";

const ONE_YEAR = 60 * 60 * 24 * 365;
const OPTIONS: { value: ListDensity; label: string }[] = [
  { value: "compact", label: "Compact" },
  { value: "comfortable", label: "Comfortable" },
];

function saveDensity(density: ListDensity) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${DENSITY_COOKIE}=${density}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax${secure}`;
}

/**
 * Compact or comfortable rows. The choice is kept in a cookie (the server renders with it); a
 * `density` in the URL (from a saved view) is dropped, so the choice shows at once.
 */
export function DensityToggle({
  current,
  hrefWithoutDensity,
}: {
  current: ListDensity;
  /** This list's URL without `density`, when the URL has one; else null. */
  hrefWithoutDensity: string | null;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(next: ListDensity) {
    saveDensity(next);
    startTransition(() => {
      if (hrefWithoutDensity) router.replace(hrefWithoutDensity, { scroll: false });
      else router.refresh();
    });
  }

  return (
    <div
      role="group"
      aria-label="Row density"
      aria-busy={pending || undefined}
      className="inline-flex rounded-md border border-line bg-surface-muted p-0.5"
    >
      {OPTIONS.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={current === option.value}
          onClick={() => choose(option.value)}
          className={cn(
            "min-h-9 rounded px-2.5 text-xs font-medium pointer-coarse:min-h-11",
            current === option.value
              ? "bg-surface text-fg shadow-sm"
              : "text-fg-muted hover:text-fg",
          )}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
