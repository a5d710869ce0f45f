// The keyboard shortcuts (issue 11 §4): pure data and predicates, shared by the listener
// (keyboard-shortcuts.tsx), its help dialog and the tests. Client-safe.

/** Who sees a shortcut in the help dialog: everyone, or staff (those who triage). */
export type Shortcut = { keys: string[]; label: string; staffOnly?: boolean };

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ["?"], label: "Show these shortcuts" },
  { keys: ["j"], label: "Next ticket in the list" },
  { keys: ["k"], label: "Previous ticket in the list" },
  { keys: ["Enter"], label: "Open the selected ticket" },
  { keys: ["r"], label: "Write a reply" },
  { keys: ["n"], label: "Write an internal note", staffOnly: true },
  { keys: ["a"], label: "Assign the ticket to me", staffOnly: true },
  { keys: ["g", "u"], label: "Go to the Unassigned queue", staffOnly: true },
  { keys: ["g", "m"], label: "Go to Assigned to me", staffOnly: true },
  { keys: ["Ctrl/⌘", "Enter"], label: "Send (in a text box)" },
  { keys: ["Esc"], label: "Close this dialog" },
];

/** Where "g <key>" goes (staff). */
export const GO_TO: Readonly<Record<string, string>> = {
  u: "/tickets?queue=unassigned",
  m: "/tickets?queue=mine",
};

/** How long "g" waits for its second key. */
export const SEQUENCE_MS = 1500;

/** Markers the pages put on their elements; the listener finds them by these. */
export const ROW_SELECTOR = "[data-ticket-row]";
export const ROW_LINK_SELECTOR = 'a[href^="/tickets/"]';
export const REPLY_BOX_SELECTOR = '[data-shortcut="reply-box"]';
export const REPLY_MODE_SELECTOR = '[data-shortcut="reply-mode"]';
export const NOTE_MODE_SELECTOR = '[data-shortcut="note-mode"]';

/** The event the ticket page listens to for "a" (components/keyboard/assign-to-me.tsx). */
export const ASSIGN_TO_ME_EVENT = "tessera:assign-to-me";

/** Typing here is text, not a shortcut. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    // Checkboxes, radios and buttons take no text: shortcuts still work there.
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(
      target.type,
    );
  }
  return false;
}
