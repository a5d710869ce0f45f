import "server-only";
// What a file is, decided from its first bytes (file-type's magic numbers), never from its name or
// the browser's Content-Type. Text has no magic number: valid UTF-8 without NUL bytes is text/plain
// (logs, CSV, config files); HTML and SVG are text too and are therefore only ever served as
// text/plain downloads (lib/attachments/http.ts).
import { fileTypeFromBuffer } from "file-type";
import { KIND_OF_TYPE } from "@/lib/attachments/types";

/** How much of the start of a file is read to decide its type (zip-based office files need more than the magic number). */
export const SNIFF_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function looksLikeText(head: Uint8Array, complete: boolean): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the head: drop up to 3 trailing bytes.
  for (let drop = 0; drop <= (complete ? 0 : 3); drop++) {
    try {
      utf8.decode(head.subarray(0, head.length - drop));
      return true;
    } catch {
      // try with one byte fewer
    }
  }
  return false;
}

/**
 * The detected MIME type of a file from its head (`complete`: the head is the whole file), or
 * null when it is none of the types Tessera knows (KIND_OF_TYPE). Office files file-type reports
 * under other names are folded into their canonical type.
 */
export async function detectType(head: Uint8Array, complete: boolean): Promise<string | null> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    const mime = found.mime === "application/x-gzip" ? "application/gzip" : found.mime;
    return KIND_OF_TYPE[mime] ? mime : null;
  }
  return looksLikeText(head, complete) ? "text/plain" : null;
}
