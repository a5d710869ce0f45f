import "server-only";
// One upload, from the request body to a READY row (ADR 021):
//   1. the row first (state UPLOADING), so a crash at any later point leaves a row the sweeper
//      finds and removes with its blobs (lib/attachments/sweep.ts);
//   2. the body streamed to a private temporary file, counted (the size limit stops it at once)
//      and hashed; its first bytes decide the type (lib/attachments/sniff.ts) against the
//      allow-list;
//   3. scanned by ClamAV when configured: an infected file never reaches the store; with the
//      scanner down the file is stored QUARANTINED (never served) and scanned again later;
//   4. images re-encoded by sharp (orientation applied, EXIF/GPS and every other metadata dropped,
//      a pixel limit against decompression bombs) with a WebP thumbnail; other files copied as
//      they are; both streamed into the blob store under the row's random key;
//   5. the row completed. The message that carries it links it later (lib/attachments/claim.ts).
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import sharp, { type OutputInfo } from "sharp";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { attachmentConfig } from "@/lib/attachments/limits";
import { cleanFileName, nameForType } from "@/lib/attachments/names";
import { formatBytes, type AttachmentInfo } from "@/lib/attachments/schemas";
import { scannerFromEnv, ScannerUnavailableError } from "@/lib/attachments/scan";
import { detectType, SNIFF_BYTES } from "@/lib/attachments/sniff";
import { blobStore, type BlobStore } from "@/lib/attachments/storage";
import { INLINE_IMAGE_TYPES, KIND_OF_TYPE, kindsText } from "@/lib/attachments/types";
import type { Actor } from "@/lib/service-context";

/** Images above this many pixels are refused before decoding (a 40 MP photo is fine). */
export const MAX_IMAGE_PIXELS = 50_000_000;
export const THUMBNAIL_SIZE = 480;

/** An upload refused with a message for the person and the HTTP status of the refusal. */
export class UploadRefusedError extends AppError {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Counts and hashes what passes; fails the stream as soon as it passes `max` bytes. */
class Meter extends Transform {
  size = 0;
  readonly head: Buffer[] = [];
  private headSize = 0;
  private readonly hash = createHash("sha256");
  constructor(
    private readonly max: number,
    private readonly keepHead = 0,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.max) return done(tooLarge(this.max));
    if (this.headSize < this.keepHead) {
      const part = chunk.subarray(0, this.keepHead - this.headSize);
      this.head.push(Buffer.from(part));
      this.headSize += part.length;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest("hex");
  }
}

function tooLarge(max: number): UploadRefusedError {
  return new UploadRefusedError(
    `The file is larger than ${formatBytes(max)}, the limit per file.`,
    413,
    "too_large",
  );
}

export function uploadDir(): string {
  return process.env.TESSERA_UPLOAD_TMP_DIR || join(tmpdir(), "tessera-uploads");
}

export type UploadInput = {
  actor: Pick<Actor, "id">;
  /** The name the browser sent (percent-encoded header); only a label. */
  fileName: string | null;
  /** Content-Length when the client sent one: refused early when over the limit. */
  declaredLength: number | null;
  body: Readable;
};

type Stored = {
  contentType: string;
  size: number;
  sha256: string;
  width?: number;
  height?: number;
  thumbKey?: string;
};

/** Receives one file (steps above). Throws UploadRefusedError for what the person can fix. */
export async function receiveUpload(input: UploadInput): Promise<AttachmentInfo> {
  const config = await attachmentConfig();
  if (input.declaredLength !== null && input.declaredLength > config.maxFileBytes) {
    input.body.destroy();
    throw tooLarge(config.maxFileBytes);
  }
  const store = blobStore();
  const storageKey = randomUUID();
  const cleaned = cleanFileName(input.fileName);
  const row = await db.attachment.create({
    data: { storageKey, name: cleaned, uploaderId: input.actor.id },
    select: { id: true },
  });
  await mkdir(uploadDir(), { recursive: true, mode: 0o700 });
  const temp = join(uploadDir(), `${storageKey}.part`);
  let thumbKey: string | undefined;
  try {
    const meter = new Meter(config.maxFileBytes, SNIFF_BYTES);
    await pipeline(input.body, meter, createWriteStream(temp, { mode: 0o600 }));
    // A body shorter than announced was cut on the way: never store part of a file as the file.
    if (input.declaredLength !== null && meter.size !== input.declaredLength) {
      throw new UploadRefusedError(
        "The upload was cut short. Please try again.",
        400,
        "incomplete",
      );
    }
    if (meter.size === 0) throw new UploadRefusedError("The file is empty.", 422, "empty");
    const head = Buffer.concat(meter.head);
    const contentType = await detectType(head, meter.size <= head.length);
    const kind = contentType ? KIND_OF_TYPE[contentType] : undefined;
    if (!contentType || !kind || !config.allowed.has(kind)) {
      throw new UploadRefusedError(
        `This kind of file is not accepted. Allowed: ${kindsText(config.kinds)}.`,
        415,
        "type",
      );
    }
    const quarantined = await scanFile(temp);
    const stored: Stored = INLINE_IMAGE_TYPES.has(contentType)
      ? await storeImage(store, storageKey, temp, contentType)
      : await storeFile(store, storageKey, temp, contentType, meter);
    thumbKey = stored.thumbKey;
    const name = nameForType(cleaned, stored.contentType);
    await db.attachment.update({
      where: { id: row.id },
      data: { ...stored, name, state: quarantined ? "QUARANTINED" : "READY" },
    });
    return {
      id: row.id,
      name,
      size: stored.size,
      contentType: stored.contentType,
      image: stored.thumbKey !== undefined,
    };
  } catch (error) {
    // Nothing of a refused or failed upload stays: not the blobs, not the row.
    await Promise.allSettled([
      store.delete(storageKey),
      thumbKey ? store.delete(thumbKey) : Promise.resolve(),
    ]);
    await db.attachment.delete({ where: { id: row.id } }).catch((err: unknown) => {
      logger.warn({ err, attachmentId: row.id }, "upload cleanup: row left for the sweeper");
    });
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** true: stored but quarantined (the scanner is configured but unreachable). */
async function scanFile(path: string): Promise<boolean> {
  const scanner = scannerFromEnv();
  if (!scanner) return false;
  try {
    const verdict = await scanner.scan(createReadStream(path));
    if (verdict.clean) return false;
    throw new UploadRefusedError(
      `This file contains malware (${verdict.signature}) and was not accepted.`,
      422,
      "malware",
    );
  } catch (error) {
    if (!(error instanceof ScannerUnavailableError)) throw error;
    logger.warn({ err: error }, "virus scanner unreachable: upload kept in quarantine");
    return true;
  }
}

async function storeFile(
  store: BlobStore,
  key: string,
  path: string,
  contentType: string,
  meter: Meter,
): Promise<Stored> {
  await store.put(key, createReadStream(path), { contentType });
  return { contentType, size: meter.size, sha256: meter.digest() };
}

function tooManyPixels(): UploadRefusedError {
  return new UploadRefusedError(
    `The image has more than ${MAX_IMAGE_PIXELS / 1_000_000} million pixels and was not accepted.`,
    422,
    "pixels",
  );
}

function imageError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : "";
  if (error instanceof UploadRefusedError) return error;
  // sharp's own limitInputPixels (an animated image whose frames add up past the limit).
  if (/pixel limit/i.test(message)) return tooManyPixels();
  if (
    /unsupported image format|corrupt|premature end|bad|invalid|VipsJpeg|gifload|pngload|webpload/i.test(
      message,
    )
  ) {
    return new UploadRefusedError("The image could not be read; it may be damaged.", 422, "image");
  }
  return error;
}

/** Re-encodes an image (metadata dropped, orientation applied) and makes its thumbnail. */
async function storeImage(
  store: BlobStore,
  key: string,
  path: string,
  contentType: string,
): Promise<Stored> {
  const animated = contentType === "image/gif" || contentType === "image/webp";
  const input = sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, animated, failOn: "error" });
  try {
    const meta = await input.metadata(); // header only: the pixel limit bites before decoding
    if ((meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) > MAX_IMAGE_PIXELS) {
      throw tooManyPixels();
    }
    const oriented = input.clone().rotate();
    const main =
      contentType === "image/png"
        ? oriented.png()
        : contentType === "image/gif"
          ? oriented.gif()
          : contentType === "image/webp"
            ? oriented.webp({ quality: 85 })
            : oriented.jpeg({ quality: 85 });
    const meter = new Meter(Number.MAX_SAFE_INTEGER);
    const info = new Promise<OutputInfo>((resolve) => main.once("info", resolve));
    const thumbKey = `${key}.thumb`;
    const thumb = input
      .clone()
      .rotate()
      .resize({
        width: THUMBNAIL_SIZE,
        height: THUMBNAIL_SIZE,
        fit: "inside",
        withoutEnlargement: true,
      })
      .webp({ quality: 70 });
    const counted = main.pipe(meter);
    main.once("error", (err) => counted.destroy(err));
    await Promise.all([
      store.put(key, counted, { contentType }),
      store.put(thumbKey, thumb.pipe(new PassThrough()), { contentType: "image/webp" }),
    ]);
    const { width, height } = await info;
    return {
      contentType,
      size: meter.size,
      sha256: meter.digest(),
      width,
      height: meta.pageHeight && animated ? meta.pageHeight : height,
      thumbKey,
    };
  } catch (error) {
    throw imageError(error);
  }
}
