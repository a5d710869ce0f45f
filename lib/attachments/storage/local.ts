import "server-only";
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  assertBlobKey,
  BlobNotFoundError,
  type BlobStore,
  type LocalStoreConfig,
} from "@/lib/attachments/storage/types";

// Attachments on the local disk: <dir>/ab/cd/<key> (two shard levels keep folders small). A put
// streams into a temp file in the blob's own folder, flushes it, then renames it into place, so a
// reader never sees half a file; a failed stream removes the temp file. Files are mode 0600,
// folders 0700. Signed URLs do not exist here: the app streams the file itself.
export function createLocalStore(config: LocalStoreConfig): BlobStore {
  const pathOf = (key: string) => localBlobPath(config.dir, key);

  return {
    kind: "local",

    async put(key, body) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      const temp = join(dirname(target), `.${key}.${randomUUID()}.tmp`);
      try {
        // "wx": never follow or reuse an existing file; flush: fsync before close.
        await pipeline(body, createWriteStream(temp, { flags: "wx", mode: 0o600, flush: true }));
        await rename(temp, target);
      } catch (err) {
        body.destroy();
        await rm(temp, { force: true });
        throw err;
      }
    },

    async get(key) {
      const path = pathOf(key);
      try {
        const handle = await open(path, "r");
        return handle.createReadStream();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new BlobNotFoundError(key);
        throw err;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async signedUrl(key) {
      assertBlobKey(key);
      return null;
    },
  };
}

/** Where a key's file lives under dir (validates the key first). */
export function localBlobPath(dir: string, key: string): string {
  assertBlobKey(key);
  return join(resolve(dir), key.slice(0, 2), key.slice(2, 4), key);
}
