import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { serveAttachment } from "@/lib/attachments/download";
import { findVisibleAttachment } from "@/lib/attachments/queries";
import { blobStore, BlobNotFoundError } from "@/lib/attachments/storage";
import { rescanQuarantined } from "@/lib/attachments/sweep";
import { receiveUpload } from "@/lib/attachments/upload";
import type { RequestContext } from "@/lib/request-context";
import type { ServiceContext } from "@/lib/service-context";
import { createTicket } from "@/lib/tickets/service";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";

// The upload pipeline and the download route's core on the real S3-compatible server and the
// real clamd that `npm test` starts (scripts/lib/test-services.ts): what a production install
// with TESSERA_STORAGE=s3 and TESSERA_CLAMAV_URL does.

const S3 = process.env.TESSERA_TEST_S3_ENDPOINT;
const CLAMAV = process.env.TESSERA_TEST_CLAMAV_URL;
const uploads = mkdtempSync(join(tmpdir(), "tessera-upload-tmp-"));
Object.assign(process.env, {
  TESSERA_STORAGE: "s3",
  TESSERA_S3_ENDPOINT: S3 ?? "http://127.0.0.1:9",
  TESSERA_S3_BUCKET: process.env.TESSERA_TEST_S3_BUCKET || "tessera-test",
  TESSERA_S3_ACCESS_KEY_ID: "S3RVER",
  TESSERA_S3_SECRET_ACCESS_KEY: "S3RVER",
  TESSERA_UPLOAD_TMP_DIR: uploads,
});
delete process.env.TESSERA_CLAMAV_URL;

// Built at run time so this file itself does not trip a scanner.
const EICAR = Buffer.from(
  ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE", "!$H+H*"].join(""),
);

const REQ: RequestContext = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-s3-scan" };
let user: ServiceContext;
let cat: string;

beforeAll(async () => {
  if (!S3) {
    throw new Error(
      "TESSERA_TEST_S3_ENDPOINT is not set: run `npm test` (it starts s3rver), or export the " +
        "variables `npx tsx scripts/attachment-services.ts` prints.",
    );
  }
  user = await makeActor(db, "USER");
  cat = (await makeCategory(db)).id;
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(uploads, { recursive: true, force: true });
});

const upload = (bytes: Buffer, name: string) =>
  receiveUpload({
    actor: user.actor,
    fileName: encodeURIComponent(name),
    declaredLength: bytes.length,
    body: Readable.from([bytes]),
  });

const request = (id: string, query = "") =>
  new Request(`http://localhost:3000/api/attachments/${id}${query}`);

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("on S3", () => {
  it("stores under the random key; a download redirects to a short-lived signed URL", async () => {
    const text = Buffer.from(`event log ${uniqueSuffix()}\n`);
    const info = await upload(text, "events.log");
    await createTicket(user, {
      title: `S3 ${uniqueSuffix()}`,
      description: "",
      categoryId: cat,
      attachmentIds: [info.id],
    });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: info.id } });
    expect(await read(await blobStore().get(row.storageKey))).toEqual(text);

    const res = await serveAttachment(
      request(info.id, "?download=1"),
      user.actor,
      REQ,
      info.id,
      "file",
    );
    expect(res.status).toBe(302);
    const signed = new URL(res.headers.get("location")!);
    expect(signed.origin).toBe(new URL(S3!).origin);
    expect(signed.searchParams.get("X-Amz-Expires")).toBe("60");
    const fetched = await fetch(signed);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(text);
    expect(fetched.headers.get("content-disposition")).toMatch(
      /^attachment; filename="?events\.log"?$/,
    );
    const audited = await db.auditEvent.count({
      where: { action: "attachment.download", entityId: info.id, actorId: user.actor.id },
    });
    expect(audited).toBe(1);
  });

  it("streams images inline through the app, with nosniff and the sandbox policy", async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#0a0" } })
      .png()
      .toBuffer();
    const info = await upload(png, "screen.png");
    const res = await serveAttachment(request(info.id), user.actor, REQ, info.id, "file");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/^sandbox;/);
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(40);
    const thumb = await serveAttachment(request(info.id), user.actor, REQ, info.id, "thumbnail");
    expect(thumb.headers.get("content-type")).toBe("image/webp");
  });
});

describe.skipIf(!CLAMAV)("with ClamAV (skipped: TESSERA_TEST_CLAMAV_URL is not set)", () => {
  it("refuses EICAR: nothing stored, no row, no temporary file", async () => {
    process.env.TESSERA_CLAMAV_URL = CLAMAV;
    try {
      const before = await db.attachment.count({ where: { uploaderId: user.actor.id } });
      await expect(upload(EICAR, "readme.txt")).rejects.toMatchObject({
        status: 422,
        reason: "malware",
        message: expect.stringMatching(/Eicar/i),
      });
      expect(await db.attachment.count({ where: { uploaderId: user.actor.id } })).toBe(before);
      expect(readdirSync(uploads)).toEqual([]);
      // A clean file passes the same scanner.
      expect((await upload(Buffer.from("clean\n"), "clean.txt")).name).toBe("clean.txt");
    } finally {
      delete process.env.TESSERA_CLAMAV_URL;
    }
  });

  it("with the scanner down a file is quarantined (never served) until a rescan clears it", async () => {
    process.env.TESSERA_CLAMAV_URL = "tcp://127.0.0.1:9"; // nothing listens there
    const info = await upload(Buffer.from("quarantined\n"), "q.txt");
    const row = await db.attachment.findUniqueOrThrow({ where: { id: info.id } });
    expect(row.state).toBe("QUARANTINED");
    expect(await findVisibleAttachment(user.actor, info.id)).toBeNull();

    process.env.TESSERA_CLAMAV_URL = CLAMAV;
    try {
      expect(await rescanQuarantined(db)).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.TESSERA_CLAMAV_URL;
    }
    expect((await db.attachment.findUniqueOrThrow({ where: { id: info.id } })).state).toBe("READY");
    expect(await findVisibleAttachment(user.actor, info.id)).not.toBeNull();
  });

  it("a quarantined file found infected on rescan is removed from the store", async () => {
    process.env.TESSERA_CLAMAV_URL = "tcp://127.0.0.1:9";
    const info = await upload(EICAR, "later.txt");
    const row = await db.attachment.findUniqueOrThrow({ where: { id: info.id } });
    expect(row.state).toBe("QUARANTINED");
    process.env.TESSERA_CLAMAV_URL = CLAMAV;
    try {
      await rescanQuarantined(db);
    } finally {
      delete process.env.TESSERA_CLAMAV_URL;
    }
    await expect(blobStore().get(row.storageKey)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: info.id } })).state).toBe(
      "INFECTED",
    );
    expect(await findVisibleAttachment(user.actor, info.id)).toBeNull();
  });
});
