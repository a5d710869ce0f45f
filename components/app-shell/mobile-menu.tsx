"use client";

import type { ReactNode } from "react";
import { useMenuDisclosure } from "./use-menu-disclosure";

/**
 * The phone menu: a disclosure button and a non-modal panel dropped under the header (so no
 * focus trap). It closes on navigation, on a link click, and on Escape.
 */
export function MobileMenu({ children }: { children: ReactNode }) {
  const { open, panelId, onKeyDown, onPanelClick, buttonProps } = useMenuDisclosure();

  return (
    <div onKeyDown={onKeyDown}>
      <button
        {...buttonProps}
        className="inline-flex min-h-11 min-w-11 items-center justify-center gap-2 rounded-md px-3 text-sm font-medium text-fg hover:bg-surface-muted"
      >
        <svg className="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          {open ? (
            <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
          ) : (
            <path
              fillRule="evenodd"
              d="M2 4.75A.75.75 0 0 1 2.75 4h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 4.75ZM2 10a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 10Zm0 5.25a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75a.75.75 0 0 1-.75-.75Z"
              clipRule="evenodd"
            />
          )}
        </svg>
        Menu
      </button>
      {/* Anchored to the (relative) header, full width, so the page never scrolls sideways. */}
      <div
        id={panelId}
        hidden={!open}
        onClick={onPanelClick}
        className="absolute inset-x-0 top-full z-40 max-h-[calc(100dvh-4rem)] overflow-y-auto border-b border-line bg-surface px-4 pt-2 pb-4 shadow-lg"
      >
        {children}
      </div>
    </div>
  );
}
