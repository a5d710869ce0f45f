import "server-only";
// The installation's storage quota (TESSERA_STORAGE_QUOTA_MB; none when unset): uploads are
// refused once the stored files reach it, and admins see a warning from 80 % on (the dashboard).
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/attachments/schemas";

export const QUOTA_WARNING_RATIO = 0.8;
const CACHE_MS = 30_000;

export class QuotaExceededError extends AppError {}

export type StorageUsage = { usedBytes: number; quotaBytes: number | null };

function quotaBytes(): number | null {
  const raw = process.env.TESSERA_STORAGE_QUOTA_MB;
  if (!raw) return null;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new Error(`TESSERA_STORAGE_QUOTA_MB must be a positive number (got "${raw}")`);
  }
  return Math.floor(mb * 1024 * 1024);
}

let cached: { at: number; usedBytes: number } | undefined;

/** Bytes of every stored file (thumbnails not counted), at most 30 s old. */
export async function storageUsage(): Promise<StorageUsage> {
  if (!cached || Date.now() - cached.at > CACHE_MS) {
    const sum = await db.attachment.aggregate({ _sum: { size: true } });
    cached = { at: Date.now(), usedBytes: sum._sum.size ?? 0 };
  }
  return { usedBytes: cached.usedBytes, quotaBytes: quotaBytes() };
}

export async function assertUnderQuota(): Promise<void> {
  const { usedBytes, quotaBytes } = await storageUsage();
  if (quotaBytes !== null && usedBytes >= quotaBytes) {
    throw new QuotaExceededError(
      `The help desk's file storage is full (${formatBytes(quotaBytes)}). Send the message without files, or ask an admin.`,
    );
  }
}

/** For the admins' dashboard: a warning from 80 % of the quota on, else null. */
export async function quotaWarning(): Promise<string | null> {
  const { usedBytes, quotaBytes } = await storageUsage();
  if (quotaBytes === null || usedBytes < quotaBytes * QUOTA_WARNING_RATIO) return null;
  const percent = Math.min(100, Math.round((usedBytes / quotaBytes) * 100));
  return `File storage is ${percent} % full (${formatBytes(usedBytes)} of ${formatBytes(quotaBytes)}; TESSERA_STORAGE_QUOTA_MB).`;
}
