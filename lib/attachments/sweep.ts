import "server-only";
// The attachments' background job, run by the one job loop (lib/security/jobs.ts): removes
// uploads no message took within the grace period (TESSERA_ATTACHMENT_GRACE_MINUTES, default a
// day), rows of uploads that died half-way (UPLOADING for an hour), their blobs, and leftover
// temporary files; and scans quarantined files again once the scanner answers. Safe on several
// instances: a row is deleted (and its blobs then removed) by exactly one of them, and a message
// that claims the same row at the same moment either wins (the row is kept) or finds it gone.
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { scannerFromEnv, ScannerUnavailableError } from "@/lib/attachments/scan";
import { blobStore } from "@/lib/attachments/storage";
import { uploadDir } from "@/lib/attachments/upload";

const BATCH = 100;
const STALE_UPLOAD_MS = 60 * 60 * 1000;

function minutes(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function sweepSettings() {
  return {
    graceMs: minutes("TESSERA_ATTACHMENT_GRACE_MINUTES", 24 * 60) * 60_000,
    everyMs: minutes("TESSERA_ATTACHMENT_SWEEP_MINUTES", 5) * 60_000,
  };
}

let lastRun = 0;

/** The job: at most every TESSERA_ATTACHMENT_SWEEP_MINUTES (default 5) in this process. */
export async function attachmentJob(db: Db): Promise<void> {
  if (Date.now() - lastRun < sweepSettings().everyMs) return;
  lastRun = Date.now();
  await sweepAttachments(db);
  await rescanQuarantined(db);
  await sweepTemporaryFiles();
}

type Row = { id: string; storageKey: string; thumbKey: string | null };

/** Removes unclaimed and abandoned uploads older than their limits; returns how many. */
export async function sweepAttachments(db: Db, now = new Date()): Promise<number> {
  const { graceMs } = sweepSettings();
  const unclaimedBefore = new Date(now.getTime() - graceMs);
  const abandonedBefore = new Date(now.getTime() - STALE_UPLOAD_MS);
  const store = blobStore();
  let removed = 0;
  for (;;) {
    // Row first, blobs after: a row being claimed right now is locked, and the claim wins.
    const rows = await db.$queryRaw<Row[]>`
      DELETE FROM "Attachment" WHERE "id" IN (
        SELECT "id" FROM "Attachment"
        WHERE "ticketId" IS NULL
          AND ("createdAt" < ${unclaimedBefore}
               OR ("state" = 'UPLOADING' AND "createdAt" < ${abandonedBefore}))
        ORDER BY "createdAt" LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
      RETURNING "id", "storageKey", "thumbKey"`;
    for (const row of rows) {
      const keys = [row.storageKey, ...(row.thumbKey ? [row.thumbKey] : [])];
      const results = await Promise.allSettled(keys.map((key) => store.delete(key)));
      for (const result of results) {
        if (result.status === "rejected") {
          logger.error({ err: result.reason, attachmentId: row.id }, "sweeper: blob not removed");
        }
      }
    }
    removed += rows.length;
    if (rows.length < BATCH) break;
  }
  if (removed > 0) logger.info({ removed }, "attachment sweeper removed unclaimed uploads");
  return removed;
}

/** Quarantined files (stored while the scanner was down): clean ones become READY. */
export async function rescanQuarantined(db: Db): Promise<number> {
  const scanner = scannerFromEnv();
  if (!scanner) return 0;
  const store = blobStore();
  const rows = await db.attachment.findMany({
    where: { state: "QUARANTINED" },
    take: BATCH,
    select: { id: true, storageKey: true, thumbKey: true },
  });
  let released = 0;
  for (const row of rows) {
    try {
      const verdict = await scanner.scan(await store.get(row.storageKey));
      if (verdict.clean) {
        await db.attachment.update({ where: { id: row.id }, data: { state: "READY" } });
        released++;
        continue;
      }
      // Infected: the files go; the row stays as the record, never served (state INFECTED). An
      // unclaimed one is swept with the other unclaimed uploads.
      logger.warn(
        { attachmentId: row.id, signature: verdict.signature },
        "quarantined file infected",
      );
      await Promise.allSettled([
        store.delete(row.storageKey),
        row.thumbKey ? store.delete(row.thumbKey) : Promise.resolve(),
      ]);
      await db.attachment.update({ where: { id: row.id }, data: { state: "INFECTED" } });
    } catch (error) {
      if (error instanceof ScannerUnavailableError) return released; // try again next round
      logger.error({ err: error, attachmentId: row.id }, "rescan failed");
    }
  }
  return released;
}

/** Temporary files of uploads cut off by a crash (older than an hour). */
async function sweepTemporaryFiles(): Promise<void> {
  const dir = uploadDir();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_UPLOAD_MS) await rm(path, { force: true });
  }
}
