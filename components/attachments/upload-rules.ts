// Pure rules of the attachment picker (no React, no DOM beyond File): the limits as a person
// reads them, which picked files may be sent, the name of a pasted screenshot and the message of
// a refused upload. Tested in tests/unit/attachment-upload-rules.test.ts.
import { formatBytes, type AttachmentInfo, type AttachmentLimits } from "@/lib/attachments/schemas";
import { ATTACHMENT_KINDS, kindsText } from "@/lib/attachments/types";

/** "25 MB" rather than "25.0 MB": a configured limit is a round number. */
export function formatLimit(bytes: number): string {
  return formatBytes(bytes).replace(/\.0(?= )/, "");
}

/**
 * "Up to 10 files, 25 MB each" (shown before the person picks anything), with the kinds when an
 * admin narrowed them: "…, 25 MB each: images and PDF only".
 */
export function limitsText(limits: AttachmentLimits): string {
  const files = limits.maxFiles === 1 ? "1 file" : `${limits.maxFiles} files`;
  const sizes = `Up to ${files}, ${formatLimit(limits.maxFileBytes)} each`;
  return limits.kinds.length < ATTACHMENT_KINDS.length
    ? `${sizes}: ${kindsText(limits.kinds)} only`
    : sizes;
}

export type PickedFile = { name: string; size: number };

export type Verdict = { ok: true } | { ok: false; message: string };

/**
 * What happens to each newly picked file: sent, or refused without sending (too large, or one
 * more than a message may carry). `taken`: files the message already carries (uploading or done).
 */
export function checkPicked(
  files: readonly PickedFile[],
  taken: number,
  limits: AttachmentLimits,
): Verdict[] {
  let count = taken;
  return files.map((file) => {
    if (file.size > limits.maxFileBytes) {
      return {
        ok: false,
        message: `${file.name} is ${formatBytes(file.size)}: files may be at most ${formatLimit(limits.maxFileBytes)} each.`,
      };
    }
    if (count >= limits.maxFiles) {
      return {
        ok: false,
        message: `${file.name} was not added: a message carries at most ${limits.maxFiles} ${limits.maxFiles === 1 ? "file" : "files"}.`,
      };
    }
    count += 1;
    return { ok: true };
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** "screenshot-2026-12-04-153012.png": a name for a pasted image (local time of the paste). */
export function screenshotName(at: Date, contentType: string): string {
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `screenshot-${day}-${time}.${EXTENSIONS[contentType] ?? "png"}`;
}

/**
 * Whether a pasted file's name says nothing: browsers name clipboard images "image.png" (or
 * leave them unnamed), so several pastes would all look alike.
 */
export function needsName(file: PickedFile & { type: string }): boolean {
  return file.type.startsWith("image/") && (file.name === "" || /^image\.\w+$/i.test(file.name));
}

/** Pasted files, unhelpfully named images renamed `screenshot-…` (numbered when several). */
export function namePasted(files: readonly File[], at: Date): File[] {
  return files.map((file, i) => {
    if (!needsName(file)) return file;
    const name = screenshotName(at, file.type);
    const numbered = files.length > 1 ? name.replace(/(\.\w+)$/, `-${i + 1}$1`) : name;
    return new File([file], numbered, { type: file.type, lastModified: file.lastModified });
  });
}

/** The files of a clipboard or drop: `files`, else the items of kind "file". */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  if (data.files && data.files.length > 0) return Array.from(data.files);
  const files: File[] = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== "file") continue;
    const file = item.getAsFile();
    if (file) files.push(file);
  }
  return files;
}

const GENERIC = "The upload failed. Try again.";

const BY_STATUS: Record<number, string> = {
  413: "This file is too large.",
  415: "Files of this type are not allowed.",
  422: "This file was refused: a virus was found in it.",
  429: "Too many uploads: wait a moment, then try again.",
  507: "The help desk's storage is full: try again later or tell an administrator.",
};

/** What to say about a refused upload: the problem's `detail`, else its `title`, else ours. */
export function problemMessage(status: number, body: unknown): string {
  if (body && typeof body === "object") {
    const { detail, title } = body as Record<string, unknown>;
    if (typeof detail === "string" && detail.trim() !== "") return detail;
    if (typeof title === "string" && title.trim() !== "") return title;
  }
  return BY_STATUS[status] ?? GENERIC;
}

/** The upload route's 201 answer, checked (a proxy's page must not pass for an attachment). */
export function asAttachmentInfo(body: unknown): AttachmentInfo | null {
  if (!body || typeof body !== "object") return null;
  const { id, name, size, contentType, image } = body as Record<string, unknown>;
  if (typeof id !== "string" || typeof name !== "string" || typeof size !== "number") return null;
  if (typeof contentType !== "string" || typeof image !== "boolean") return null;
  return { id, name, size, contentType, image };
}

/**
 * Whether a paste is about its files: Word and spreadsheets put a picture of the copied text on
 * the clipboard next to its HTML, and that paste must stay text.
 */
export function pasteIsFiles(types: readonly string[]): boolean {
  return !types.includes("text/html");
}

/**
 * The message of a form error on `attachmentIds`: react-hook-form puts the list's own error on
 * the field and an id's on its index.
 */
export function errorText(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 2) return undefined;
  const { message, root } = error as { message?: unknown; root?: unknown };
  if (typeof message === "string" && message !== "") return message;
  // An id's error sits on its index (the element's `ref` and the rest are not errors).
  const nested = [root, ...(Array.isArray(error) ? error : [])];
  for (const item of nested) {
    const text = errorText(item, depth + 1);
    if (text) return text;
  }
  return undefined;
}

/** JSON of a response text, or null. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
