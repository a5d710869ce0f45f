import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { create as contentDisposition } from "content-disposition";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  BlobNotFoundError,
  blobStoreConfigFromEnv,
  createBlobStore,
  InvalidBlobKeyError,
  StorageConfigError,
  type BlobStore,
} from "@/lib/attachments/storage";
import { localBlobPath } from "@/lib/attachments/storage/local";

// Issue 13: the attachment stores, against real backends: the local disk (a temp folder) and an
// S3 server (s3rver, started by `npm test`; scripts/attachment-services.ts starts one by hand).
// The same cases run against both.
const S3_ENDPOINT = process.env.TESSERA_TEST_S3_ENDPOINT;
const S3_BUCKET = process.env.TESSERA_TEST_S3_BUCKET || "tessera-test";
const NO_S3 =
  "TESSERA_TEST_S3_ENDPOINT is not set: the S3 store is tested against a real S3 server. Run " +
  "`npm test` (it starts s3rver), or start one with `npx tsx scripts/attachment-services.ts` and " +
  "export the TESSERA_TEST_* variables it prints.";

const localDir = mkdtempSync(join(tmpdir(), "tessera-blobs-"));
afterAll(() => rmSync(localDir, { recursive: true, force: true }));

const MB = 1024 * 1024;

/** `bytes` random bytes in 64 KiB chunks, generated while read (never all in memory), and the
 * SHA-256 of what was produced; with failAfter, the stream errors once that many were sent. */
function randomBody(bytes: number, failAfter?: number): { body: Readable; sha256: () => string } {
  const hash = createHash("sha256");
  async function* chunks() {
    let sent = 0;
    while (sent < bytes) {
      if (failAfter !== undefined && sent >= failAfter) throw new Error("upload connection lost");
      const chunk = randomBytes(Math.min(64 * 1024, bytes - sent));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
      await new Promise((r) => setImmediate(r));
    }
  }
  return { body: Readable.from(chunks()), sha256: () => hash.digest("hex") };
}

async function digest(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Every file under dir, recursively (temp files included). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

const INVALID_KEYS = [
  "../x",
  "a/b",
  `${randomUUID().slice(0, 35)}\0`,
  `../${randomUUID().slice(3)}`,
  `${randomUUID()}/..`,
  `${randomUUID()}.thumb.thumb`,
  `${randomUUID()}${"0".repeat(1000)}`,
  randomUUID().toUpperCase(),
  "",
];

type StoreCase = { name: "local" | "s3"; store: () => BlobStore };
const cases: StoreCase[] = [
  { name: "local", store: () => createBlobStore({ kind: "local", dir: localDir }) },
  {
    name: "s3",
    store: () =>
      createBlobStore(
        blobStoreConfigFromEnv({
          TESSERA_STORAGE: "s3",
          TESSERA_S3_ENDPOINT: S3_ENDPOINT,
          TESSERA_S3_BUCKET: S3_BUCKET,
          // s3rver's fixed credentials.
          TESSERA_S3_ACCESS_KEY_ID: "S3RVER",
          TESSERA_S3_SECRET_ACCESS_KEY: "S3RVER",
        }),
      ),
  },
];

describe.each(cases)("$name attachment store", ({ name, store: make }) => {
  let store: BlobStore;
  // Not a skip: without a server every S3 case fails, each with NO_S3 as its reason.
  beforeEach(() => {
    if (name === "s3" && !S3_ENDPOINT) throw new Error(NO_S3);
    store ??= make();
  });

  it("streams a multi-MB file in and out unchanged (SHA-256)", async () => {
    const key = randomUUID();
    const { body, sha256 } = randomBody(12 * MB + 12345);
    await store.put(key, body, { contentType: "application/octet-stream" });
    const expected = sha256();
    expect(await digest(await store.get(key))).toEqual({
      sha256: expected,
      bytes: 12 * MB + 12345,
    });
    if (name === "local") {
      expect(statSync(localBlobPath(localDir, key)).mode & 0o777).toBe(0o600);
      expect(localBlobPath(localDir, key)).toBe(
        join(localDir, key.slice(0, 2), key.slice(2, 4), key),
      );
    }
    await store.delete(key);
  });

  it("round-trips a small file and a .thumb key", async () => {
    const key = randomUUID();
    await store.put(key, Readable.from([Buffer.from("hello, world")]), {
      contentType: "text/plain",
    });
    await store.put(`${key}.thumb`, Readable.from([Buffer.from("thumb")]), {
      contentType: "image/png",
    });
    expect(await text(await store.get(key))).toBe("hello, world");
    expect(await text(await store.get(`${key}.thumb`))).toBe("thumb");
    await store.delete(key);
    await store.delete(`${key}.thumb`);
  });

  it.each([
    ["early (within the first part)", 1 * MB],
    ["late (after a multipart upload began)", 11 * MB],
  ])("a body that fails %s rejects the put and leaves nothing", async (_, failAfter) => {
    const key = randomUUID();
    const { body } = randomBody(16 * MB, failAfter);
    await expect(store.put(key, body, { contentType: "application/pdf" })).rejects.toThrow(
      "upload connection lost",
    );
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    if (name === "local") {
      expect(filesUnder(localDir).filter((f) => f.includes(key))).toEqual([]);
      expect(filesUnder(localDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    }
  });

  it("get of an absent key throws BlobNotFoundError", async () => {
    await expect(store.get(randomUUID())).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("delete is idempotent", async () => {
    const key = randomUUID();
    await store.put(key, Readable.from([Buffer.from("x")]), { contentType: "text/plain" });
    await store.delete(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.delete(key)).resolves.toBeUndefined();
    await expect(store.delete(randomUUID())).resolves.toBeUndefined();
  });

  it.each(INVALID_KEYS.map((k) => [JSON.stringify(k).slice(0, 60), k]))(
    "refuses the key %s in every operation",
    async (_, key) => {
      const url = { fileName: "a.txt", contentType: "text/plain", disposition: "inline" } as const;
      await expect(
        store.put(key, Readable.from([Buffer.from("x")]), { contentType: "text/plain" }),
      ).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.signedUrl(key, { ...url, expiresInSeconds: 60 })).rejects.toBeInstanceOf(
        InvalidBlobKeyError,
      );
    },
  );

  if (name === "local") {
    it("has no signed URLs (the app streams the file)", async () => {
      const key = randomUUID();
      await expect(
        store.signedUrl(key, {
          fileName: "a.pdf",
          contentType: "application/pdf",
          disposition: "attachment",
          expiresInSeconds: 60,
        }),
      ).resolves.toBeNull();
    });
  } else {
    it("signed URLs answer with the requested Content-Disposition and Content-Type", async () => {
      const key = randomUUID();
      await store.put(key, Readable.from([Buffer.from("%PDF-1.7 test")]), {
        contentType: "application/octet-stream",
      });
      for (const [fileName, disposition] of [
        ['Résumé "final" 2026.pdf', "attachment"],
        ["report.pdf", "inline"],
      ] as const) {
        const url = await store.signedUrl(key, {
          fileName,
          contentType: "application/pdf",
          disposition,
          expiresInSeconds: 60,
        });
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        const res = await fetch(url!);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("application/pdf");
        const header = res.headers.get("content-disposition");
        expect(header).toBe(contentDisposition(fileName, { type: disposition }));
        expect(await res.text()).toBe("%PDF-1.7 test");
      }
      // RFC 6266/5987: an ASCII fallback plus the exact UTF-8 name.
      expect(contentDisposition('Résumé "final" 2026.pdf')).toBe(
        `attachment; filename="R?sum? \\"final\\" 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%202026.pdf`,
      );
      await store.delete(key);
    });

    it("an expired signed URL is refused (403)", async () => {
      const key = randomUUID();
      await store.put(key, Readable.from([Buffer.from("secret")]), { contentType: "text/plain" });
      const url = await store.signedUrl(key, {
        fileName: "a.txt",
        contentType: "text/plain",
        disposition: "attachment",
        expiresInSeconds: 1,
      });
      await new Promise((r) => setTimeout(r, 2_100));
      const res = await fetch(url!);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain("secret");
      await store.delete(key);
    });
  }
});

describe("blobStoreConfigFromEnv", () => {
  it("defaults to the local store under TESSERA_DATA_DIR (or .data)", () => {
    expect(blobStoreConfigFromEnv({})).toEqual({
      kind: "local",
      dir: join(".data", "attachments"),
    });
    expect(blobStoreConfigFromEnv({ TESSERA_DATA_DIR: "/srv/t" })).toEqual({
      kind: "local",
      dir: "/srv/t/attachments",
    });
    expect(
      blobStoreConfigFromEnv({ TESSERA_DATA_DIR: "/srv/t", TESSERA_ATTACHMENT_DIR: "/mnt/a" }),
    ).toEqual({ kind: "local", dir: "/mnt/a" });
  });

  it("s3: path style by default only with an endpoint; AWS default region", () => {
    expect(blobStoreConfigFromEnv({ TESSERA_STORAGE: "s3", TESSERA_S3_BUCKET: "b" })).toEqual({
      kind: "s3",
      bucket: "b",
      region: "us-east-1",
      endpoint: undefined,
      forcePathStyle: false,
      accessKeyId: undefined,
      secretAccessKey: undefined,
    });
    const minio = blobStoreConfigFromEnv({
      TESSERA_STORAGE: "s3",
      TESSERA_S3_BUCKET: "b",
      TESSERA_S3_ENDPOINT: "http://minio:9000",
      TESSERA_S3_REGION: "eu-west-1",
    });
    expect(minio).toMatchObject({ forcePathStyle: true, region: "eu-west-1" });
    expect(
      blobStoreConfigFromEnv({
        TESSERA_STORAGE: "s3",
        TESSERA_S3_BUCKET: "b",
        TESSERA_S3_ENDPOINT: "https://s3.example",
        TESSERA_S3_FORCE_PATH_STYLE: "0",
      }),
    ).toMatchObject({ forcePathStyle: false });
  });

  it("refuses incomplete or unknown settings", () => {
    const bad = [
      { TESSERA_STORAGE: "ftp" },
      { TESSERA_STORAGE: "s3" },
      { TESSERA_STORAGE: "s3", TESSERA_S3_BUCKET: "b", TESSERA_S3_ACCESS_KEY_ID: "k" },
      { TESSERA_STORAGE: "s3", TESSERA_S3_BUCKET: "b", TESSERA_S3_ENDPOINT: "minio:9000" },
      { TESSERA_STORAGE: "s3", TESSERA_S3_BUCKET: "b", TESSERA_S3_FORCE_PATH_STYLE: "yes" },
    ];
    for (const env of bad) expect(() => blobStoreConfigFromEnv(env)).toThrow(StorageConfigError);
  });
});
