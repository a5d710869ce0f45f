/** A search snippet as plain text runs; `hit` runs are the matched words (rendered as <mark>). */
export type SnippetPart = { text: string; hit: boolean };

/** Splits a ts_headline snippet on its private-use start/stop markers. Never produces HTML. */
export function splitSnippet(snippet: string, start: string, stop: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, chunk] of snippet.split(start).entries()) {
    if (i === 0) {
      if (chunk) parts.push({ text: chunk, hit: false });
      continue;
    }
    const end = chunk.indexOf(stop);
    if (end === -1) {
      parts.push({ text: chunk, hit: false });
      continue;
    }
    if (end > 0) parts.push({ text: chunk.slice(0, end), hit: true });
    const rest = chunk.slice(end + stop.length);
    if (rest) parts.push({ text: rest, hit: false });
  }
  return parts;
}
