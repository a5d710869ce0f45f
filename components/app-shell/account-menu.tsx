"use client";

import type { FocusEvent, ReactNode } from "react";
import { useMenuDisclosure } from "./use-menu-disclosure";

/**
 * The account menu of the desktop header: a disclosure button (the user's name) and a small
 * panel with the account pages and "Sign out". Keyboard: Enter or Space opens it, Tab walks
 * through it, Escape closes it and returns focus to the button; it also closes on navigation,
 * on a link click, and when focus or a click goes elsewhere.
 */
export function AccountMenu({ label, children }: { label: ReactNode; children: ReactNode }) {
  const { open, close, panelId, onKeyDown, onPanelClick, buttonProps } = useMenuDisclosure();

  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (open && !event.currentTarget.contains(event.relatedTarget as Node | null)) close();
  }

  return (
    <div className="relative" onKeyDown={onKeyDown} onBlur={onBlur}>
      <button
        {...buttonProps}
        className="inline-flex min-h-11 items-center gap-2 rounded-md px-2 text-sm font-medium text-fg hover:bg-surface-muted"
      >
        {label}
        <svg
          className="size-4 text-fg-muted"
          viewBox="0 0 20 20"
          fill="currentColor"
          aria-hidden="true"
        >
          <path
            fillRule="evenodd"
            d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
            clipRule="evenodd"
          />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        onClick={onPanelClick}
        className="absolute top-full right-0 z-40 mt-1 w-64 rounded-lg border border-line bg-surface p-2 shadow-lg"
      >
        {children}
      </div>
    </div>
  );
}
