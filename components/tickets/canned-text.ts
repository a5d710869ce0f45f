// The reply box's canned-response picker (issue 15 §3): the pure parts, kept apart from the
// component so they are unit-tested. Client-safe.

export type CannedOption = { id: string; title: string; body: string; shared: boolean };

/**
 * Where a "/" that opens the picker sits: typed at the start of an empty line (or an empty box),
 * the caret right after it. null otherwise (a "/" inside a path or a URL opens nothing).
 */
export function slashTrigger(value: string, caret: number): number | null {
  const at = caret - 1;
  if (at < 0 || value[at] !== "/") return null;
  const lineStart = at === 0 || value[at - 1] === "\n";
  const lineEnd = caret === value.length || value[caret] === "\n";
  return lineStart && lineEnd ? at : null;
}

/**
 * The query typed after the "/" at `anchor`, or null when the picker should close: the "/" was
 * deleted, the caret left the query, or a line break ended it.
 */
export function slashQuery(value: string, anchor: number, caret: number): string | null {
  if (value[anchor] !== "/" || caret <= anchor) return null;
  const query = value.slice(anchor + 1, caret);
  return query.includes("\n") ? null : query;
}

/**
 * The options matching every word of the query (in the title or the text), titles that start
 * with it first, then other title matches, then text matches; title order kept within each.
 */
export function filterCanned(options: readonly CannedOption[], query: string): CannedOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...options];
  const q = words.join(" ");
  const ranked: { option: CannedOption; rank: number }[] = [];
  for (const option of options) {
    const title = option.title.toLowerCase();
    const all = `${title}\n${option.body.toLowerCase()}`;
    if (!words.every((w) => all.includes(w))) continue;
    const rank = title.startsWith(q) ? 0 : words.every((w) => title.includes(w)) ? 1 : 2;
    ranked.push({ option, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.option);
}

/** `text` put in place of value[from, to): the new value and where the caret goes. */
export function spliceText(
  value: string,
  from: number,
  to: number,
  text: string,
): { value: string; caret: number } {
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

/** A one-line preview of a snippet's text (shown as text, never as HTML). */
export function previewOf(body: string, max = 90): string {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
