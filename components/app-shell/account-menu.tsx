"use client";

import type { FocusEvent, ReactNode } from "react";
import { ChevronDownIcon } from "@/components/ui/chevron-down-icon";
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
        <ChevronDownIcon className="size-4 text-fg-muted" />
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
