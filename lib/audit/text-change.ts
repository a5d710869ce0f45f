// What the audit trail keeps of long user text (a ticket's description): never the text itself,
// but its SHA-256 and length, and for a change a bounded excerpt of what changed. The append-only
// trail then grows by well under 1 KB per edit whatever the text's size, and a description that
// is later deleted leaves at most DIFF_EXCERPT characters per change behind in it
// (docs/decisions/013-audit-volume.md, SECURITY.md). Script-safe (no "server-only").
import { createHash } from "node:crypto";

/** Characters of removed and of added text kept per change (each side). */
export const DIFF_EXCERPT = 200;

export type TextFingerprint = { sha256: string; length: number };

export type TextDiff = {
  /** Offset (in UTF-16 units) of the first changed character. */
  at: number;
  removedLength: number;
  addedLength: number;
  /** Up to DIFF_EXCERPT characters of the removed text, from `at`; "…" marks a cut. */
  removed: string;
  added: string;
};

export function fingerprint(text: string): TextFingerprint {
  return { sha256: createHash("sha256").update(text, "utf8").digest("hex"), length: text.length };
}

function excerpt(text: string): string {
  if (text.length <= DIFF_EXCERPT) return text;
  let cut = DIFF_EXCERPT;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** The changed middle of two texts (common prefix and suffix removed), bounded. */
export function boundedDiff(before: string, after: string): TextDiff {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  const removed = before.slice(start, before.length - end);
  const added = after.slice(start, after.length - end);
  return {
    at: start,
    removedLength: removed.length,
    addedLength: added.length,
    removed: excerpt(removed),
    added: excerpt(added),
  };
}
