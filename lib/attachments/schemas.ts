// Attachments: what the client forms and the server share (client-safe, no server imports).
// A file is uploaded first (POST /api/attachments, one request per file, streamed), then the
// message that carries it names the uploads by id (`attachmentIds`) and the service links them in
// the message's own transaction (lib/attachments/claim.ts).
import { z } from "zod";
import { ATTACHMENT_KINDS, type AttachmentKind } from "@/lib/attachments/types";

/** Defaults of the per-file and per-message limits (TESSERA_ATTACHMENT_MAX_MB / _MAX_FILES). */
export const DEFAULT_MAX_FILE_MB = 25;
export const DEFAULT_MAX_FILES = 10;
/** The hard ceiling of files per message, whatever the configuration says. */
export const MAX_FILES_CEILING = 50;

/** The ids of this user's uploads that a new ticket, reply or note carries. */
export const AttachmentIdsSchema = z
  .array(z.uuid("An attachment id is malformed."))
  .max(MAX_FILES_CEILING, `At most ${MAX_FILES_CEILING} files per message.`)
  .refine((ids) => new Set(ids).size === ids.length, "An attachment is listed twice.")
  .default([]);

/** The limits a form shows before the user picks (and the upload route enforces). */
export type AttachmentLimits = {
  maxFileBytes: number;
  maxFiles: number;
  /** For <input accept>: MIME types and extensions of the allowed kinds. */
  accept: string;
  /** The allowed kinds (the instance setting), in the canonical order. */
  kinds: AttachmentKind[];
};

const KIND_MESSAGE = "Allow at least one kind of file.";

/**
 * The admin settings of attachments (/admin/settings; lib/attachments/settings.ts): the kinds
 * uploads may be. Stored in the canonical order, each once.
 */
export const AttachmentSettingsSchema = z.object({
  kinds: z
    .array(z.enum(ATTACHMENT_KINDS, { error: "Unknown kind of file." }), { error: KIND_MESSAGE })
    .min(1, KIND_MESSAGE)
    .transform((kinds) => ATTACHMENT_KINDS.filter((k) => kinds.includes(k))),
});
export type AttachmentSettingsInput = z.input<typeof AttachmentSettingsSchema>;

/** The upload route's answer (201) and what a message's attachment list shows. */
export type AttachmentInfo = {
  id: string;
  name: string;
  size: number;
  contentType: string;
  /** A re-encoded image with a thumbnail (shown inline); everything else is a download chip. */
  image: boolean;
};

/**
 * A file in a message's attachment list. READY: served (thumbnail or download); QUARANTINED:
 * stored, waiting for the virus scan, never served (a "Scanning for viruses…" chip); INFECTED: the
 * later scan found malware, its bytes are gone (a "Blocked" chip).
 */
export type AttachmentListItem = AttachmentInfo & {
  state: "READY" | "QUARANTINED" | "INFECTED";
};

/** The header that carries the file name of an upload (encodeURIComponent of the name). */
export const FILE_NAME_HEADER = "x-tessera-filename";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
