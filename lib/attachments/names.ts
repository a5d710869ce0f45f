// The uploaded file name, made safe to store and to send back in Content-Disposition. It is only
// ever a label: blobs live under random keys (lib/attachments/storage), so no name reaches a path.
import { KIND_EXTENSIONS_OF_TYPE } from "@/lib/attachments/types";

export const NAME_MAX = 160;
const FALLBACK = "file";

// Control characters (C0, DEL, C1), bidirectional overrides and isolates (U+202A-U+202E,
// U+2066-U+2069: "photo\u202Egnp.exe" shows as "photoexe.png"), zero-width and BOM characters.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

function decodeHeaderName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // not percent-encoded: take it as it came
  }
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  return Array.from(text).reduce((out, ch) => (out.length + ch.length <= max ? out + ch : out), "");
}

/**
 * The display name of an upload: percent-decoded, NFC, only the last path segment (`..\\..\\x`
 * gives `x`), no invisible or control characters, no leading dots (hidden files) or trailing
 * dots and spaces (Windows), at most NAME_MAX characters with the extension kept.
 */
export function cleanFileName(raw: string | null | undefined): string {
  let name = decodeHeaderName(raw ?? "").normalize("NFC");
  name = name.split(/[/\\]/).pop() ?? "";
  name = name.replace(INVISIBLE, "").replace(/\s+/g, " ");
  name = name.replace(/^[\s.]+/, "").replace(/[\s.]+$/, "");
  if (name.length > NAME_MAX) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 12 ? name.slice(dot) : "";
    name = cut(name.slice(0, name.length - ext.length), NAME_MAX - ext.length).trimEnd() + ext;
  }
  return name || FALLBACK;
}

/**
 * The name to store for a file whose type was decided from its bytes: when the extension does not
 * belong to that type, the right one is appended ("invoice.exe" holding a PDF is saved as
 * "invoice.exe.pdf"), so a download never opens as something else than what was checked.
 */
export function nameForType(name: string, contentType: string): string {
  const allowed = KIND_EXTENSIONS_OF_TYPE[contentType];
  if (!allowed) return name;
  const lower = name.toLowerCase();
  if (allowed.some((ext) => lower.endsWith(ext))) return name;
  const ext = allowed[0] ?? "";
  return cut(name, NAME_MAX - ext.length) + ext;
}
