import "server-only";
// The configured limits of attachments (read once per process from the environment) and the
// allow-list of kinds. The upload route enforces them; the forms show them before a pick.
import {
  DEFAULT_MAX_FILE_MB,
  DEFAULT_MAX_FILES,
  MAX_FILES_CEILING,
  type AttachmentLimits,
} from "@/lib/attachments/schemas";
import { acceptFor, kindsFromEnv, type AttachmentKind } from "@/lib/attachments/types";

export type AttachmentConfig = AttachmentLimits & { kinds: ReadonlySet<AttachmentKind> };

function positiveInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max} (got "${raw}")`);
  }
  return value;
}

let cached: AttachmentConfig | undefined;

export function attachmentConfig(): AttachmentConfig {
  if (!cached) {
    const kinds = kindsFromEnv(process.env.TESSERA_ATTACHMENT_TYPES);
    cached = {
      maxFileBytes:
        positiveInt("TESSERA_ATTACHMENT_MAX_MB", DEFAULT_MAX_FILE_MB, 1024) * 1024 * 1024,
      maxFiles: positiveInt("TESSERA_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES, MAX_FILES_CEILING),
      accept: acceptFor(kinds),
      kinds,
    };
  }
  return cached;
}

/** What a form needs (plain data, passed from the page to the client component). */
export function attachmentLimits(): AttachmentLimits {
  const { maxFileBytes, maxFiles, accept } = attachmentConfig();
  return { maxFileBytes, maxFiles, accept };
}
