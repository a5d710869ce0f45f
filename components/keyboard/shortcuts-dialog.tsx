"use client";
import type { Ref } from "react";
import { Button } from "@/components/ui/button";
import { SHORTCUTS } from "./keys";

/**
 * The "?" dialog: a native modal <dialog> (focus moves into it, the page behind is inert, Esc
 * closes it and the focus returns to where it was).
 */
export function ShortcutsDialog({ ref, staff }: { ref: Ref<HTMLDialogElement>; staff: boolean }) {
  const shortcuts = SHORTCUTS.filter((s) => staff || !s.staffOnly);
  return (
    <dialog
      ref={ref}
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40"
    >
      <div className="space-y-4 p-5">
        <h2 id="shortcuts-title" className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <p className="text-sm text-fg-muted">They work anywhere except while typing in a field.</p>
        <dl className="divide-y divide-line text-sm">
          {shortcuts.map((s) => (
            <div key={s.label} className="flex items-center justify-between gap-4 py-2">
              <dt className="flex shrink-0 gap-1">
                {s.keys.map((key, i) => (
                  <span key={key} className="flex items-center gap-1">
                    {i > 0 && (
                      <span className="text-fg-muted">{key === "Enter" ? "+" : "then"}</span>
                    )}
                    <kbd className="rounded border border-line-strong bg-surface-muted px-1.5 py-0.5 font-mono text-xs">
                      {key}
                    </kbd>
                  </span>
                ))}
              </dt>
              <dd className="text-right">{s.label}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog" className="flex justify-end">
          <Button type="submit" variant="secondary" autoFocus>
            Close
          </Button>
        </form>
      </div>
    </dialog>
  );
}
