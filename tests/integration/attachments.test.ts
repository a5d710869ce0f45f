import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { findVisibleAttachment, ticketAttachments } from "@/lib/attachments/queries";
import {
  assertUnderQuota,
  QuotaExceededError,
  quotaWarning,
  storageUsage,
} from "@/lib/attachments/quota";
import { localBlobPath } from "@/lib/attachments/storage/local";
import { sweepAttachments } from "@/lib/attachments/sweep";
import { receiveUpload, UploadRefusedError } from "@/lib/attachments/upload";
import type { ServiceContext } from "@/lib/service-context";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { createTicket } from "@/lib/tickets/service";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { auditFor } from "@/tests/support/tickets";

// Uploads through the real pipeline (type from the bytes, sharp, the local blob store in a temp
// folder, PostgreSQL), linked by the real services, read through the viewer-scoped queries.
// S3 and ClamAV: tests/integration/attachment-storage.test.ts and clamav.test.ts.

const dir = mkdtempSync(join(tmpdir(), "tessera-attachments-"));
const uploads = mkdtempSync(join(tmpdir(), "tessera-upload-tmp-"));
process.env.TESSERA_STORAGE = "local";
process.env.TESSERA_ATTACHMENT_DIR = dir;
process.env.TESSERA_UPLOAD_TMP_DIR = uploads;
process.env.TESSERA_ATTACHMENT_MAX_MB = "2";
delete process.env.TESSERA_CLAMAV_URL;

let user: ServiceContext;
let other: ServiceContext;
let tech: ServiceContext;
let cat: string;

beforeAll(async () => {
  [user, other, tech] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
  ]);
  cat = (await makeCategory(db)).id;
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  rmSync(uploads, { recursive: true, force: true });
});

function upload(ctx: ServiceContext, bytes: Buffer, fileName: string) {
  return receiveUpload({
    actor: ctx.actor,
    fileName: encodeURIComponent(fileName),
    declaredLength: null,
    body: Readable.from([bytes]),
  });
}

const stored = (key: string) => readFileSync(localBlobPath(dir, key));

async function rowOf(id: string) {
  return db.attachment.findUnique({ where: { id } });
}

async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } })
    .jpeg()
    .withExifMerge({
      IFD0: { Artist: "Secret Person" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2400/100" },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

describe("upload pipeline", () => {
  it("re-encodes a photo: metadata gone, orientation applied, thumbnail, hash of what is stored", async () => {
    const original = await photoWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const info = await upload(user, original, "IMG_0042.jpg");
    expect(info).toMatchObject({ name: "IMG_0042.jpg", contentType: "image/jpeg", image: true });
    const row = (await rowOf(info.id))!;
    expect(row.state).toBe("READY");
    expect(row.storageKey).not.toContain("IMG");
    const bytes = stored(row.storageKey);
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([48, 64]); // rotated by the EXIF orientation
    expect(row.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(row.size).toBe(bytes.length);
    expect((await sharp(stored(row.thumbKey!)).metadata()).format).toBe("webp");
  });

  it("decides the type from the bytes: HTML named .png is text, its name says so", async () => {
    const info = await upload(user, Buffer.from("<script>alert(1)</script>"), "cat.png");
    expect(info).toMatchObject({ contentType: "text/plain", name: "cat.png.txt", image: false });
  });

  it("refuses unknown binaries, bombs and oversize files, and leaves nothing behind", async () => {
    const before = await db.attachment.count({ where: { uploaderId: user.actor.id } });
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      Buffer.alloc(200, 1),
    ]);
    await expect(upload(user, elf, "tool.exe")).rejects.toMatchObject({ status: 415 });
    const bomb = await sharp({
      create: { width: 10_000, height: 10_000, channels: 3, background: "#000" },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expect(upload(user, bomb, "bomb.png")).rejects.toMatchObject({
      status: 422,
      reason: "pixels",
    });
    const big = Buffer.alloc(2 * 1024 * 1024 + 1, "a");
    await expect(upload(user, big, "big.log")).rejects.toBeInstanceOf(UploadRefusedError);
    await expect(upload(user, Buffer.alloc(0), "empty.txt")).rejects.toMatchObject({ status: 422 });
    // Fewer bytes than announced (a body cut on the way): refused, never stored as the file.
    const cut = receiveUpload({
      actor: user.actor,
      fileName: "cut.log",
      declaredLength: 1000,
      body: Readable.from([Buffer.from("only part of it\n")]),
    });
    await expect(cut).rejects.toMatchObject({ status: 400, reason: "incomplete" });
    expect(await db.attachment.count({ where: { uploaderId: user.actor.id } })).toBe(before);
    expect(readdirSync(uploads)).toEqual([]);
  });

  it("cleans names: paths, control and bidi characters, hidden dots, overlong names", async () => {
    const text = Buffer.from("log line\n");
    expect((await upload(user, text, "../../etc/passwd")).name).toBe("passwd.txt");
    expect((await upload(user, text, "..\\..\\boot.ini")).name).toBe("boot.ini");
    expect((await upload(user, text, "invoice\u202Etxt.exe")).name).toBe("invoicetxt.exe.txt");
    expect((await upload(user, text, "a\u0000b.log")).name).toBe("ab.log");
    expect((await upload(user, text, ".htaccess")).name).toBe("htaccess.txt");
    const long = await upload(user, text, `${"x".repeat(500)}.log`);
    expect(long.name).toHaveLength(160);
    expect(long.name.endsWith(".log")).toBe(true);
  });
});

describe("attaching to messages", () => {
  it("links uploads to the ticket in its transaction; the audit event lists them", async () => {
    const a = await upload(user, Buffer.from("error 0x80070005\n"), "error.log");
    const ticket = await createTicket(user, {
      title: `Files ${uniqueSuffix()}`,
      description: "See the log.",
      categoryId: cat,
      attachmentIds: [a.id],
    });
    const row = (await rowOf(a.id))!;
    expect(row).toMatchObject({ ticketId: ticket.id, commentId: null });
    const [event] = await auditFor(ticket.id, "ticket.create");
    expect(event!.metadata).toMatchObject({ attachments: [{ id: a.id, name: "error.log" }] });
    const [ticketTx] = await db.$queryRaw<{ xmin: string }[]>`
      SELECT xmin::text FROM "Attachment" WHERE id = ${a.id}`;
    const [eventTx] = await db.$queryRaw<{ xmin: string }[]>`
      SELECT xmin::text FROM "AuditEvent" WHERE id = ${event!.id}`;
    expect(ticketTx!.xmin).toBe(eventTx!.xmin);
  });

  it("refuses someone else's upload or one already sent, and writes nothing", async () => {
    const theirs = await upload(other, Buffer.from("theirs\n"), "theirs.txt");
    const title = `Stolen ${uniqueSuffix()}`;
    await expect(
      createTicket(user, { title, description: "", categoryId: cat, attachmentIds: [theirs.id] }),
    ).rejects.toThrow(/no longer available/);
    expect(await db.ticket.count({ where: { title } })).toBe(0);
    expect((await rowOf(theirs.id))!.ticketId).toBeNull();

    const mine = await upload(user, Buffer.from("mine\n"), "mine.txt");
    const t = await createTicket(user, {
      title: `Once ${uniqueSuffix()}`,
      description: "",
      categoryId: cat,
      attachmentIds: [mine.id],
    });
    await expect(
      addReply(user, { ticketId: t.id, body: "again", attachmentIds: [mine.id] }),
    ).rejects.toThrow(/no longer available/);
  });

  it("an internal note's files are staff-only; others see nothing of a ticket not theirs", async () => {
    const t = await createTicket(user, {
      title: `Note files ${uniqueSuffix()}`,
      description: "",
      categoryId: cat,
    });
    const noteFile = await upload(tech, Buffer.from("internal\n"), "internal.txt");
    const { commentId: noteId } = await addInternalNote(tech, {
      ticketId: t.id,
      body: "",
      attachmentIds: [noteFile.id],
    });
    const replyFile = await upload(tech, await photoWithGps(), "screen.jpg");
    const { commentId: replyId } = await addReply(tech, {
      ticketId: t.id,
      body: "Look at this",
      attachmentIds: [replyFile.id],
    });

    expect(await findVisibleAttachment(tech.actor, noteFile.id)).not.toBeNull();
    expect(await findVisibleAttachment(user.actor, noteFile.id)).toBeNull();
    expect(await findVisibleAttachment(user.actor, replyFile.id)).not.toBeNull();
    expect(await findVisibleAttachment(other.actor, replyFile.id)).toBeNull();

    const forUser = await ticketAttachments(user.actor, t.id);
    expect(forUser.byComment.has(noteId)).toBe(false);
    expect(forUser.byComment.get(replyId)?.map((f) => f.id)).toEqual([replyFile.id]);
    const forTech = await ticketAttachments(tech.actor, t.id);
    expect(forTech.byComment.get(noteId)?.map((f) => f.id)).toEqual([noteFile.id]);

    // An unsent upload: its uploader only.
    const pending = await upload(user, Buffer.from("draft\n"), "draft.txt");
    expect(await findVisibleAttachment(user.actor, pending.id)).not.toBeNull();
    expect(await findVisibleAttachment(tech.actor, pending.id)).toBeNull();
  });
});

describe("files held by the virus scan", () => {
  it("are listed with their state to who may see them, never as an image, never served", async () => {
    const photo = await upload(user, await photoWithGps(), "router.jpg");
    const log = await upload(user, Buffer.from("boot log\n"), "boot.log");
    const clean = await upload(user, Buffer.from("ok\n"), "ok.txt");
    const t = await createTicket(user, {
      title: `Held ${uniqueSuffix()}`,
      description: "",
      categoryId: cat,
      attachmentIds: [photo.id, log.id, clean.id],
    });
    // The scanner was down (QUARANTINED), then the rescan found malware in the log (INFECTED).
    await db.attachment.update({ where: { id: photo.id }, data: { state: "QUARANTINED" } });
    await db.attachment.update({ where: { id: log.id }, data: { state: "INFECTED" } });
    const listed = (await ticketAttachments(user.actor, t.id)).ticket;
    expect(listed.map((f) => [f.name, f.state, f.image])).toEqual([
      ["router.jpg", "QUARANTINED", false],
      ["boot.log", "INFECTED", false],
      ["ok.txt", "READY", false],
    ]);
    expect((await ticketAttachments(tech.actor, t.id)).ticket).toEqual(listed);
    for (const id of [photo.id, log.id]) {
      expect(await findVisibleAttachment(user.actor, id)).toBeNull();
      expect(await findVisibleAttachment(tech.actor, id)).toBeNull();
    }
    expect(await findVisibleAttachment(user.actor, clean.id)).not.toBeNull();
  });
});

describe("sweeper", () => {
  it("removes uploads no message took after the grace period, rows and blobs; keeps sent ones", async () => {
    const kept = await upload(user, Buffer.from("kept\n"), "kept.txt");
    await createTicket(user, {
      title: `Kept ${uniqueSuffix()}`,
      description: "",
      categoryId: cat,
      attachmentIds: [kept.id],
    });
    const refused = await upload(user, await photoWithGps(), "refused.jpg");
    // A message refused as a whole (another id is not the user's) leaves its uploads unclaimed.
    const theirs = await upload(other, Buffer.from("x\n"), "x.txt");
    await expect(
      addReply(user, { ticketId: "nope", body: "x", attachmentIds: [refused.id, theirs.id] }),
    ).rejects.toThrow();
    const refusedRow = (await rowOf(refused.id))!;
    expect(existsSync(localBlobPath(dir, refusedRow.storageKey))).toBe(true);

    // Not yet: within the grace period nothing goes.
    expect(await db.attachment.findUnique({ where: { id: refused.id } })).not.toBeNull();
    await sweepAttachments(db, new Date());
    expect(await rowOf(refused.id)).not.toBeNull();

    // A day and a minute later.
    await sweepAttachments(db, new Date(Date.now() + 24 * 60 * 60 * 1000 + 60_000));
    expect(await rowOf(refused.id)).toBeNull();
    expect(existsSync(localBlobPath(dir, refusedRow.storageKey))).toBe(false);
    expect(existsSync(localBlobPath(dir, refusedRow.thumbKey!))).toBe(false);
    const keptRow = (await rowOf(kept.id))!;
    expect(existsSync(localBlobPath(dir, keptRow.storageKey))).toBe(true);
  });
});

describe("storage quota", () => {
  it("no quota by default; a warning from 80 %; uploads refused once it is reached", async () => {
    delete process.env.TESSERA_STORAGE_QUOTA_MB;
    await expect(assertUnderQuota()).resolves.toBeUndefined();
    expect(await quotaWarning()).toBeNull();
    const { usedBytes } = await storageUsage();
    expect(usedBytes).toBeGreaterThan(0);
    const mb = usedBytes / (1024 * 1024);
    try {
      process.env.TESSERA_STORAGE_QUOTA_MB = String(mb * 2); // half full
      await expect(assertUnderQuota()).resolves.toBeUndefined();
      expect(await quotaWarning()).toBeNull();
      process.env.TESSERA_STORAGE_QUOTA_MB = String(mb / 0.9); // 90 %
      expect(await quotaWarning()).toMatch(/^File storage is 9\d % full/);
      process.env.TESSERA_STORAGE_QUOTA_MB = String(mb * 0.99); // full
      await expect(assertUnderQuota()).rejects.toBeInstanceOf(QuotaExceededError);
    } finally {
      delete process.env.TESSERA_STORAGE_QUOTA_MB;
    }
  });
});
