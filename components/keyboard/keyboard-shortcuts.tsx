"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { ShortcutsDialog } from "./shortcuts-dialog";
import {
  ASSIGN_TO_ME_EVENT,
  GO_TO,
  NOTE_MODE_SELECTOR,
  REPLY_BOX_SELECTOR,
  REPLY_MODE_SELECTOR,
  ROW_LINK_SELECTOR,
  ROW_SELECTOR,
  SEQUENCE_MS,
  isTextEntry,
} from "./keys";

/**
 * The keyboard flow (issue 11 §4), one listener for the whole signed-in app. Plain keys only:
 * never inside a text field, select or contenteditable, never with Ctrl/⌘/Alt (the browser's
 * and the screen reader's own shortcuts stay theirs). The one exception is Ctrl/⌘+Enter in a
 * text box, which sends its form. The pages mark what the keys act on (keys.ts): queue rows
 * with data-ticket-row, the reply box and its modes with data-shortcut.
 */
export function KeyboardShortcuts({ staff }: { staff: boolean }) {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  // When "g" was pressed: kept outside the effect, which may re-subscribe between two keys.
  const goPressedAt = useRef(0);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return;
      const target = event.target;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        if (target instanceof HTMLTextAreaElement && target.form && !event.altKey) {
          event.preventDefault();
          target.form.requestSubmit();
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTextEntry(target)) return;
      if (dialogRef.current?.open) return; // the dialog handles its own keys (Esc closes it)

      const go = goPressedAt.current > 0 && Date.now() - goPressedAt.current < SEQUENCE_MS;
      goPressedAt.current = 0;
      if (go && staff && GO_TO[event.key]) {
        event.preventDefault();
        router.push(GO_TO[event.key]!);
        return;
      }

      switch (event.key) {
        case "?":
          event.preventDefault();
          dialogRef.current?.showModal();
          return;
        case "j":
        case "k":
          if (moveSelection(event.key === "j" ? 1 : -1)) event.preventDefault();
          return;
        case "Enter":
          if (openSelected(target)) event.preventDefault();
          return;
        case "r":
          if (focusReplyBox(REPLY_MODE_SELECTOR)) event.preventDefault();
          return;
        case "n":
          if (staff && focusReplyBox(NOTE_MODE_SELECTOR)) event.preventDefault();
          return;
        case "a":
          if (staff) {
            event.preventDefault();
            window.dispatchEvent(new CustomEvent(ASSIGN_TO_ME_EVENT));
          }
          return;
        case "g":
          if (staff) goPressedAt.current = Date.now();
          return;
      }
    }

    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [router, staff]);

  return <ShortcutsDialog ref={dialogRef} staff={staff} />;
}

function rows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(ROW_SELECTOR)].filter(
    (row) => row.querySelector(ROW_LINK_SELECTOR) !== null,
  );
}

/**
 * j/k: the selection is the row holding the focus (a row the person tabbed into counts), else
 * the row marked data-selected. The new row is marked and its ticket link focused, so the focus
 * ring shows where one is and Enter (or a click) opens it.
 */
function moveSelection(step: 1 | -1): boolean {
  const list = rows();
  if (list.length === 0) return false;
  const focused = list.findIndex((row) => row.contains(document.activeElement));
  const marked = list.findIndex((row) => row.dataset.selected === "true");
  const current = focused >= 0 ? focused : marked;
  const next =
    current < 0
      ? step === 1
        ? 0
        : list.length - 1
      : Math.min(list.length - 1, Math.max(0, current + step));
  for (const row of list) delete row.dataset.selected;
  const row = list[next]!;
  row.dataset.selected = "true";
  const link = row.querySelector<HTMLElement>(ROW_LINK_SELECTOR)!;
  link.focus();
  link.scrollIntoView({ block: "nearest" });
  return true;
}

/** Enter on nothing in particular (the page itself) opens the selected row. A focused link or
 * button keeps its own Enter. */
function openSelected(target: EventTarget | null): boolean {
  if (target instanceof HTMLElement && target !== document.body && !target.matches(ROW_SELECTOR)) {
    return false;
  }
  const row = rows().find((r) => r.dataset.selected === "true");
  const link = row?.querySelector<HTMLAnchorElement>(ROW_LINK_SELECTOR);
  if (!link) return false;
  link.click();
  return true;
}

/** r / n: switch the reply form's mode (when it has one) and put the caret in its box. */
function focusReplyBox(modeSelector: string): boolean {
  const box = document.querySelector<HTMLElement>(REPLY_BOX_SELECTOR);
  if (!box) return false;
  const mode = document.querySelector<HTMLInputElement>(modeSelector);
  if (mode && !mode.checked) mode.click();
  box.focus();
  // The mode switch re-renders the form; focus the box again once it has.
  requestAnimationFrame(() => document.querySelector<HTMLElement>(REPLY_BOX_SELECTOR)?.focus());
  box.scrollIntoView({ block: "nearest" });
  return true;
}
