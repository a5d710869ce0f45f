import "server-only";
import { join } from "node:path";
import { createLocalStore } from "@/lib/attachments/storage/local";
import { createS3Store } from "@/lib/attachments/storage/s3";
import type { BlobStore, BlobStoreConfig } from "@/lib/attachments/storage/types";

// Which store holds attachments, from the environment (the README's table lists these):
//   TESSERA_STORAGE               local (default) | s3
//   TESSERA_ATTACHMENT_DIR        local: the folder (default $TESSERA_DATA_DIR/attachments,
//                                 TESSERA_DATA_DIR defaulting to .data)
//   TESSERA_S3_BUCKET             s3: required
//   TESSERA_S3_REGION             s3: default us-east-1
//   TESSERA_S3_ENDPOINT           s3: an S3-compatible server; unset = AWS
//   TESSERA_S3_FORCE_PATH_STYLE   s3: 1/0; default 1 when an endpoint is set, else 0
//   TESSERA_S3_ACCESS_KEY_ID, TESSERA_S3_SECRET_ACCESS_KEY
//                                 s3: both or neither (neither = the SDK's default chain)
export {
  assertBlobKey,
  BlobNotFoundError,
  InvalidBlobKeyError,
  type BlobStore,
  type BlobStoreConfig,
  type SignedUrlOptions,
} from "@/lib/attachments/storage/types";

export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageConfigError";
  }
}

function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === "") return fallback;
  if (value === "1" || value === "true") return true;
  if (value === "0" || value === "false") return false;
  throw new StorageConfigError(`${name} must be 1 or 0, got "${value}"`);
}

export function blobStoreConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): BlobStoreConfig {
  const kind = env.TESSERA_STORAGE || "local";
  if (kind === "local") {
    const dir = env.TESSERA_ATTACHMENT_DIR || join(env.TESSERA_DATA_DIR || ".data", "attachments");
    return { kind: "local", dir };
  }
  if (kind !== "s3") {
    throw new StorageConfigError(`TESSERA_STORAGE must be "local" or "s3", got "${kind}"`);
  }
  const bucket = env.TESSERA_S3_BUCKET;
  if (!bucket) throw new StorageConfigError("TESSERA_STORAGE=s3 needs TESSERA_S3_BUCKET");
  const accessKeyId = env.TESSERA_S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.TESSERA_S3_SECRET_ACCESS_KEY || undefined;
  if (!accessKeyId !== !secretAccessKey) {
    throw new StorageConfigError(
      "Set both TESSERA_S3_ACCESS_KEY_ID and TESSERA_S3_SECRET_ACCESS_KEY, or neither",
    );
  }
  const endpoint = env.TESSERA_S3_ENDPOINT || undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint)) {
    throw new StorageConfigError("TESSERA_S3_ENDPOINT must be an http(s):// URL");
  }
  return {
    kind: "s3",
    bucket,
    region: env.TESSERA_S3_REGION || "us-east-1",
    endpoint,
    forcePathStyle: flag(
      env.TESSERA_S3_FORCE_PATH_STYLE,
      endpoint !== undefined,
      "TESSERA_S3_FORCE_PATH_STYLE",
    ),
    accessKeyId,
    secretAccessKey,
  };
}

/** A store for this configuration (tests build their own; the app uses blobStore()). */
export function createBlobStore(config: BlobStoreConfig): BlobStore {
  return config.kind === "s3" ? createS3Store(config) : createLocalStore(config);
}

let cached: BlobStore | undefined;

/** The store the environment configures, built once per process. */
export function blobStore(): BlobStore {
  cached ??= createBlobStore(blobStoreConfigFromEnv());
  return cached;
}
