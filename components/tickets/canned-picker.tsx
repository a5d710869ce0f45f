"use client";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { listCannedResponsesAction } from "@/lib/canned/actions";
import { fillPlaceholders, type PlaceholderContext } from "@/lib/canned/placeholders";
import {
  filterCanned,
  previewOf,
  slashQuery,
  slashTrigger,
  spliceText,
  type CannedOption,
} from "./canned-text";

/** What the reply box's textarea gets: it controls the list while "/" is being typed. */
export type CannedTextareaProps = {
  "aria-autocomplete": "list";
  "aria-haspopup": "listbox";
  "aria-controls"?: string;
  "aria-activedescendant"?: string;
};

/** "slash": typed after a "/" in the reply box; "search": opened by the button, own search box. */
type Mode = { kind: "slash"; anchor: number } | { kind: "search"; from: number; to: number };

const LOAD_ERROR = "The responses could not be loaded. Try again.";

/**
 * Canned responses in the staff reply box (issue 15 §3). Two ways in: the "Insert response"
 * button (a search box, role combobox, over a listbox), or "/" typed at the start of an empty
 * line, after which the reply box itself drives the list (aria-activedescendant): typing filters,
 * ↑/↓ move, Enter puts the snippet in place of the "/query", Escape closes and leaves the text.
 * Options are tapped or clicked (no hover-only parts); the focus goes back to the reply box. The
 * list is loaded on first use by a server action scoped to the viewer; the placeholders are
 * filled here, as plain text, from what the page knows (lib/canned/placeholders.ts).
 */
export function CannedReplyBox({
  context,
  disabled,
  onInsert,
  children,
}: {
  context: PlaceholderContext;
  disabled?: boolean;
  /** Sets the reply box's new value (react-hook-form's setValue). */
  onInsert: (value: string) => void;
  children: (textarea: CannedTextareaProps) => ReactNode;
}) {
  const wrapper = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<Mode | null>(null);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [options, setOptions] = useState<CannedOption[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const loading = useRef(false);
  const id = useId();
  const listId = `${id}-list`;
  const panelId = `${id}-panel`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const matches = options ? filterCanned(options, query) : [];
  const activeId = mode && matches.length > 0 ? optionId(Math.min(active, matches.length - 1)) : "";

  const textarea = () => wrapper.current?.querySelector("textarea") ?? null;

  function load() {
    if (options || loading.current) return;
    loading.current = true;
    setLoadError(null);
    listCannedResponsesAction({})
      .then((result) => (result.ok ? setOptions(result.data) : setLoadError(LOAD_ERROR)))
      .catch(() => setLoadError(LOAD_ERROR))
      .finally(() => (loading.current = false));
  }

  function open(next: Mode, q = "") {
    setMode(next);
    setQuery(q);
    setActive(0);
    load();
  }

  function close(refocus: boolean) {
    setMode(null);
    setQuery("");
    if (refocus) textarea()?.focus();
  }

  function insert(option: CannedOption | undefined) {
    const box = textarea();
    if (!option || !box || !mode) return;
    const [from, to] =
      mode.kind === "slash" ? [mode.anchor, box.selectionStart] : [mode.from, mode.to];
    const next = spliceText(box.value, from, to, fillPlaceholders(option.body, context));
    onInsert(next.value);
    setMode(null);
    setQuery("");
    box.focus();
    box.setSelectionRange(next.caret, next.caret);
  }

  /** ↑ ↓ Enter Escape, from the reply box ("/") or the search box; true when handled. */
  function navigate(event: KeyboardEvent): boolean {
    const n = matches.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (n > 0)
        setActive((a) => (Math.min(a, n - 1) + (event.key === "ArrowDown" ? 1 : n - 1)) % n);
      return true;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      if (n === 0) return false;
      insert(matches[Math.min(active, n - 1)]);
      return true;
    }
    if (event.key === "Escape") {
      close(true);
      return true;
    }
    return false;
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (mode?.kind !== "slash" || !(event.target instanceof HTMLTextAreaElement)) return;
    if (event.key === "Tab") return close(false);
    if (navigate(event)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  /** After typing or a caret move in the reply box: open on "/", follow or end the query. */
  function sync(target: EventTarget) {
    if (disabled || !(target instanceof HTMLTextAreaElement)) return;
    const { value, selectionStart: caret, selectionEnd } = target;
    if (mode?.kind === "slash") {
      const q = slashQuery(value, mode.anchor, caret);
      if (q === null || caret !== selectionEnd) return close(false);
      if (q !== query) {
        setQuery(q);
        setActive(0);
      }
      return;
    }
    if (mode === null && caret === selectionEnd) {
      const anchor = slashTrigger(value, caret);
      if (anchor !== null) open({ kind: "slash", anchor });
    }
  }

  function toggleSearch() {
    if (mode) return close(true);
    const box = textarea();
    const at = box?.value.length ?? 0;
    open({ kind: "search", from: box?.selectionStart ?? at, to: box?.selectionEnd ?? at });
  }

  // Closes when a tap, a click or the focus goes anywhere outside the reply box and the list.
  useEffect(() => {
    if (!mode) return;
    const outside = (event: Event) => {
      if (wrapper.current?.contains(event.target as Node)) return;
      setMode(null);
      setQuery("");
    };
    document.addEventListener("pointerdown", outside);
    document.addEventListener("focusin", outside);
    return () => {
      document.removeEventListener("pointerdown", outside);
      document.removeEventListener("focusin", outside);
    };
  }, [mode]);

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
  }, [activeId]);

  const status = !mode
    ? ""
    : loadError
      ? loadError
      : !options
        ? "Loading responses…"
        : matches.length === 0
          ? options.length === 0
            ? "No canned responses yet."
            : "No response matches."
          : `${matches.length} ${matches.length === 1 ? "response" : "responses"}. Enter inserts, Escape closes.`;

  return (
    <div
      ref={wrapper}
      className="space-y-2"
      onKeyDown={onKeyDown}
      onInput={(e) => sync(e.target)}
      onKeyUp={(e) => mode?.kind === "slash" && sync(e.target)}
      onClick={(e) => mode?.kind === "slash" && sync(e.target)}
    >
      {children({
        "aria-autocomplete": "list",
        "aria-haspopup": "listbox",
        "aria-controls": mode?.kind === "slash" ? panelId : undefined,
        "aria-activedescendant": mode?.kind === "slash" && activeId ? activeId : undefined,
      })}
      <Button
        size="sm"
        variant="secondary"
        disabled={disabled}
        aria-expanded={mode !== null}
        aria-controls={mode ? panelId : undefined}
        onClick={toggleSearch}
        data-testid="canned-button"
      >
        Insert response
      </Button>
      {mode && (
        <div
          id={panelId}
          className="space-y-2 rounded-md border border-line-strong bg-surface p-2 shadow-sm"
          data-testid="canned-picker"
        >
          {mode.kind === "search" ? (
            <Input
              role="combobox"
              aria-label="Search canned responses"
              aria-expanded="true"
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={activeId || undefined}
              autoComplete="off"
              autoFocus
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
              onKeyDown={(e) => {
                // Enter never submits the reply from here; Escape never leaves the page's dialog.
                if (navigate(e) || e.key === "Enter") {
                  e.preventDefault();
                  e.stopPropagation();
                }
              }}
            />
          ) : (
            <p className="px-1 text-xs text-fg-muted">
              Type after “/” to filter. ↑ ↓ choose, Enter inserts, Esc closes.
            </p>
          )}
          <p role="status" className="px-1 text-sm text-fg-muted" data-testid="canned-status">
            {status}
          </p>
          {matches.length > 0 && (
            <ul
              id={listId}
              role="listbox"
              aria-label="Canned responses"
              className="max-h-64 overflow-y-auto"
            >
              {matches.map((option, i) => {
                const selected = optionId(i) === activeId;
                return (
                  <li
                    key={option.id}
                    id={optionId(i)}
                    role="option"
                    aria-selected={selected}
                    // Keeps the focus (and a phone's keyboard) in the reply box.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => insert(option)}
                    className={cn(
                      "flex min-h-11 cursor-pointer flex-col justify-center rounded px-3 py-1.5",
                      selected ? "bg-surface-muted ring-2 ring-primary ring-inset" : "",
                    )}
                  >
                    <span className="flex items-center gap-2 text-sm font-medium text-fg">
                      <span className="min-w-0 break-words">{option.title}</span>
                      <Badge tone={option.shared ? "info" : "neutral"}>
                        {option.shared ? "Shared" : "Personal"}
                      </Badge>
                    </span>
                    <span className="truncate text-xs text-fg-muted">{previewOf(option.body)}</span>
                  </li>
                );
              })}
            </ul>
          )}
          <Button size="sm" variant="ghost" onClick={() => close(true)}>
            Close
          </Button>
        </div>
      )}
    </div>
  );
}
