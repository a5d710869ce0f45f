"use client";

import { usePathname } from "next/navigation";
import { useId, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";

/**
 * The open/closed state of a header menu (a disclosure button and its panel). It closes on
 * navigation (it remembers the path it was opened at, so no effect is needed), on a link click in
 * the panel, and on Escape, which also returns focus to the button. Spread the returned handlers:
 * `onKeyDown` on the element around both, `buttonProps` on the button, `onPanelClick` and
 * `panelId` on the panel.
 */
export function useMenuDisclosure() {
  const pathname = usePathname();
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt === pathname;
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);

  function close() {
    setOpenAt(null);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && open) {
      close();
      buttonRef.current?.focus();
    }
  }

  function onPanelClick(event: MouseEvent) {
    if ((event.target as HTMLElement).closest("a")) close();
  }

  const buttonProps = {
    ref: buttonRef,
    type: "button",
    "aria-expanded": open,
    "aria-controls": panelId,
    onClick: () => setOpenAt(open ? null : pathname),
  } as const;

  return { open, close, panelId, onKeyDown, onPanelClick, buttonProps };
}
