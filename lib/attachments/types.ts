// The kinds of files Tessera accepts, decided from the bytes (lib/attachments/sniff.ts), never
// from the name or the browser's claim. Which kinds are allowed is an instance setting that admins
// edit (lib/attachments/settings.ts); TESSERA_ATTACHMENT_TYPES is its default. Client-safe.

export const ATTACHMENT_KINDS = ["images", "pdf", "text", "office", "archives"] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** How a person reads each kind (the settings page, the forms, refusals). */
export const KIND_LABELS: Readonly<Record<AttachmentKind, string>> = {
  images: "images",
  pdf: "PDF",
  text: "text and logs",
  office: "office documents",
  archives: "archives",
};

/** "images, PDF and archives": the allowed kinds in a sentence, in the canonical order. */
export function kindsText(kinds: Iterable<AttachmentKind>): string {
  const set = new Set(kinds);
  const labels = ATTACHMENT_KINDS.filter((k) => set.has(k)).map((k) => KIND_LABELS[k]);
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

/** Detected MIME type -> kind. Anything not listed is refused. */
export const KIND_OF_TYPE: Readonly<Record<string, AttachmentKind>> = {
  "image/jpeg": "images",
  "image/png": "images",
  "image/gif": "images",
  "image/webp": "images",
  "application/pdf": "pdf",
  "text/plain": "text",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "office",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "office",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "office",
  "application/vnd.oasis.opendocument.text": "office",
  "application/vnd.oasis.opendocument.spreadsheet": "office",
  "application/vnd.oasis.opendocument.presentation": "office",
  "application/x-cfb": "office", // .doc, .xls, .ppt (OLE compound files)
  "application/zip": "archives",
  "application/gzip": "archives",
  "application/x-7z-compressed": "archives",
  "application/x-tar": "archives",
};

/** Images re-encoded by the server and shown inline (thumbnail and viewer). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
]);

/** The extensions a download of each detected type may carry (the first is appended if absent). */
export const KIND_EXTENSIONS_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  "image/jpeg": [".jpg", ".jpeg"],
  "image/png": [".png"],
  "image/gif": [".gif"],
  "image/webp": [".webp"],
  "application/pdf": [".pdf"],
  "text/plain": [".txt", ".log", ".csv", ".json", ".xml", ".md", ".ini", ".conf", ".yaml", ".yml"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
  "application/vnd.oasis.opendocument.text": [".odt"],
  "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
  "application/vnd.oasis.opendocument.presentation": [".odp"],
  "application/x-cfb": [".doc", ".xls", ".ppt", ".msg"],
  "application/zip": [".zip"],
  "application/gzip": [".gz", ".tgz"],
  "application/x-7z-compressed": [".7z"],
  "application/x-tar": [".tar"],
};

/** The extensions of each kind (the picker's accept list; the settings page lists them). */
export const KIND_EXTENSIONS: Readonly<Record<AttachmentKind, readonly string[]>> = {
  images: [".jpg", ".jpeg", ".png", ".gif", ".webp"],
  pdf: [".pdf"],
  text: [".txt", ".log", ".csv", ".json", ".xml", ".md", ".ini", ".conf", ".yaml", ".yml"],
  office: [".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".doc", ".xls", ".ppt"],
  archives: [".zip", ".gz", ".tgz", ".7z", ".tar"],
};

export function kindsFromEnv(raw: string | undefined): ReadonlySet<AttachmentKind> {
  if (raw === undefined || raw.trim() === "") return new Set(ATTACHMENT_KINDS);
  const kinds = new Set<AttachmentKind>();
  for (const part of raw.split(",")) {
    const kind = part.trim().toLowerCase();
    if (!(ATTACHMENT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(
        `TESSERA_ATTACHMENT_TYPES: unknown kind "${kind}" (use ${ATTACHMENT_KINDS.join(", ")})`,
      );
    }
    kinds.add(kind as AttachmentKind);
  }
  return kinds;
}

/** The <input accept> value of the allowed kinds: MIME types and extensions. */
export function acceptFor(kinds: ReadonlySet<AttachmentKind>): string {
  const types = Object.entries(KIND_OF_TYPE)
    .filter(([, kind]) => kinds.has(kind))
    .map(([type]) => type);
  const extensions = [...kinds].flatMap((kind) => KIND_EXTENSIONS[kind]);
  return [...types, ...extensions].join(",");
}
