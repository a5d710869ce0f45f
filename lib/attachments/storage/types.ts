import "server-only";
import type { Readable } from "node:stream";

// Attachments storage: the one interface both stores (local.ts, s3.ts) implement, its errors, and
// the key check every store runs before touching anything.

export type SignedUrlOptions = {
  /** The name the browser saves or shows (Content-Disposition filename / filename*). */
  fileName: string;
  contentType: string;
  disposition: "inline" | "attachment";
  expiresInSeconds: number;
};

export interface BlobStore {
  readonly kind: "local" | "s3";
  /** Streams body into the store under key (never buffer the whole file). Rejects (and leaves nothing behind) if body errors. */
  put(key: string, body: Readable, options: { contentType: string }): Promise<void>;
  /** A readable of the blob; throws BlobNotFoundError when absent. */
  get(key: string): Promise<Readable>;
  /** Idempotent: deleting an absent key is fine. */
  delete(key: string): Promise<void>;
  /** A short-lived signed GET URL (S3) that makes the store answer with these headers; null for the local store (the app streams it itself). */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string | null>;
}

export type LocalStoreConfig = { kind: "local"; dir: string };

export type S3StoreConfig = {
  kind: "s3";
  bucket: string;
  region: string;
  /** Unset: AWS itself. Set: an S3-compatible server (MinIO, Ceph, s3rver...). */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Both unset: the SDK's default chain (AWS_* variables, instance or task role...). */
  accessKeyId?: string;
  secretAccessKey?: string;
};

export type BlobStoreConfig = LocalStoreConfig | S3StoreConfig;

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored attachment under key ${key}`);
    this.name = "BlobNotFoundError";
  }
}

export class InvalidBlobKeyError extends Error {
  constructor() {
    // The key itself is not echoed: it may be attacker-chosen (a path, control characters).
    super("Invalid attachment storage key");
    this.name = "InvalidBlobKeyError";
  }
}

/** A random UUID, optionally with ".thumb" (the thumbnail of that upload). */
const KEY = /^[0-9a-f-]{36}(\.thumb)?$/;

/** Keys come from randomUUID() in the caller; any other shape is refused (defence in depth
 * against path traversal in the local store and key games in a bucket). */
export function assertBlobKey(key: string): void {
  if (typeof key !== "string" || !KEY.test(key)) throw new InvalidBlobKeyError();
}
