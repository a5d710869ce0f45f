import "server-only";
// The limits of attachments: per file and per message from the environment (read once per
// process), the allowed kinds from the instance setting admins edit (lib/attachments/settings.ts,
// cached a few seconds). The upload route enforces them; the forms show them before a pick.
import {
  DEFAULT_MAX_FILE_MB,
  DEFAULT_MAX_FILES,
  MAX_FILES_CEILING,
  type AttachmentLimits,
} from "@/lib/attachments/schemas";
import { ATTACHMENT_SETTINGS } from "@/lib/attachments/settings";
import { acceptFor, type AttachmentKind } from "@/lib/attachments/types";
import { getSetting } from "@/lib/settings/store";

export type AttachmentConfig = AttachmentLimits & { allowed: ReadonlySet<AttachmentKind> };

function positiveInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max} (got "${raw}")`);
  }
  return value;
}

let sizes: { maxFileBytes: number; maxFiles: number } | undefined;

/** The per-file and per-message limits (TESSERA_ATTACHMENT_MAX_MB / _MAX_FILES). */
export function attachmentSizeLimits(): { maxFileBytes: number; maxFiles: number } {
  sizes ??= {
    maxFileBytes: positiveInt("TESSERA_ATTACHMENT_MAX_MB", DEFAULT_MAX_FILE_MB, 1024) * 1024 * 1024,
    maxFiles: positiveInt("TESSERA_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES, MAX_FILES_CEILING),
  };
  return sizes;
}

/** Everything an upload is checked against: the sizes and the allowed kinds as saved now. */
export async function attachmentConfig(): Promise<AttachmentConfig> {
  const { kinds } = await getSetting(ATTACHMENT_SETTINGS);
  const allowed = new Set(kinds);
  return { ...attachmentSizeLimits(), accept: acceptFor(allowed), kinds, allowed };
}

/** What a form needs (plain data, passed from the page to the client component). */
export async function attachmentLimits(): Promise<AttachmentLimits> {
  const { maxFileBytes, maxFiles, accept, kinds } = await attachmentConfig();
  return { maxFileBytes, maxFiles, accept, kinds };
}
