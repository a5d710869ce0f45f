import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Instance settings (ADR 022) through the real action, service, store and cache; the attachment
// allow-list checked by the real upload pipeline (lib/attachments/upload.ts, local store).

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const dir = mkdtempSync(join(tmpdir(), "tessera-settings-attachments-"));
const uploads = mkdtempSync(join(tmpdir(), "tessera-settings-upload-tmp-"));
process.env.TESSERA_STORAGE = "local";
process.env.TESSERA_ATTACHMENT_DIR = dir;
process.env.TESSERA_UPLOAD_TMP_DIR = uploads;
delete process.env.TESSERA_CLAMAV_URL;
delete process.env.TESSERA_ATTACHMENT_TYPES;

const { updateAttachmentSettingsAction } = await import("@/lib/settings/actions");
const { receiveUpload } = await import("@/lib/attachments/upload");
const { attachmentLimits } = await import("@/lib/attachments/limits");
const { ATTACHMENT_SETTINGS } = await import("@/lib/attachments/settings");
const { CACHE_MS, forgetCachedSetting, getSetting } = await import("@/lib/settings/store");

const db = createTestDb();
const ALL = ["images", "pdf", "text", "office", "archives"];
const PNG = await sharp({
  create: { width: 8, height: 8, channels: 3, background: "#3366cc" },
})
  .png()
  .toBuffer();

async function reset() {
  await db.setting.deleteMany({});
  forgetCachedSetting();
}

beforeAll(reset);
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});
afterAll(async () => {
  await reset();
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  rmSync(uploads, { recursive: true, force: true });
});

function upload(actor: { id: string }, bytes: Buffer, fileName: string) {
  return receiveUpload({ actor, fileName, declaredLength: null, body: Readable.from([bytes]) });
}

describe("instance settings: the attachment allow-list", () => {
  for (const role of ["USER", "TECHNICIAN"] as const) {
    it(`refuses a ${role.toLowerCase()}, audited as a refusal, nothing saved`, async () => {
      const caller = await makeUser(db, { role });
      const requestId = `req-settings-${caller.id}`;
      await actAs(state, caller, { requestId });
      expect(await updateAttachmentSettingsAction({ kinds: ["pdf"] })).toEqual({
        ok: false,
        formError: "You are not allowed to do that.",
      });
      const events = await db.auditEvent.findMany({ where: { requestId } });
      expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
        ["settings.updated", "REFUSED", caller.id],
      ]);
      expect(await db.setting.count()).toBe(0);
    });
  }

  it("an admin saves it, audited with before/after; uploads and forms follow at once", async () => {
    const { actor: admin } = await makeActor(db, "ADMIN");
    const { actor: user } = await makeActor(db, "USER");
    // The default (TESSERA_ATTACHMENT_TYPES unset): every kind; a PNG is accepted.
    expect((await attachmentLimits()).kinds).toEqual(ALL);
    expect(await upload(user, PNG, "a.png")).toMatchObject({ contentType: "image/png" });

    const requestId = `req-settings-save-${admin.id}`;
    await actAs(state, admin, { requestId });
    expect(await updateAttachmentSettingsAction({ kinds: ["text", "pdf", "text"] })).toEqual({
      ok: true,
      data: { changed: true },
    });
    const [event, ...more] = await db.auditEvent.findMany({ where: { requestId } });
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: "settings.updated",
      outcome: "SUCCESS",
      actorId: admin.id,
      entityType: "Setting",
      entityId: "attachments",
      before: { kinds: ALL },
      after: { kinds: ["pdf", "text"] },
      metadata: { wasDefault: true },
    });
    expect(await db.setting.findUniqueOrThrow({ where: { key: "attachments" } })).toMatchObject({
      value: { kinds: ["pdf", "text"] },
      updatedById: admin.id,
    });

    // The real upload path refuses what is no longer allowed, with the allowed kinds named.
    await expect(upload(user, PNG, "b.png")).rejects.toMatchObject({
      status: 415,
      reason: "type",
      message: "This kind of file is not accepted. Allowed: PDF and text and logs.",
    });
    expect(await upload(user, Buffer.from("still fine\n"), "c.log")).toMatchObject({
      contentType: "text/plain",
    });
    const limits = await attachmentLimits();
    expect(limits.kinds).toEqual(["pdf", "text"]);
    expect(limits.accept).toContain(".pdf");
    expect(limits.accept).not.toContain("image/png");

    // Saving the same again changes nothing and records nothing.
    const again = `req-settings-again-${admin.id}`;
    await actAs(state, admin, { requestId: again });
    expect(await updateAttachmentSettingsAction({ kinds: ["pdf", "text"] })).toEqual({
      ok: true,
      data: { changed: false },
    });
    expect(await db.auditEvent.count({ where: { requestId: again } })).toBe(0);
  });

  it("validates on the server: at least one kind, only known kinds", async () => {
    const { actor: admin } = await makeActor(db, "ADMIN");
    await actAs(state, admin);
    expect(await updateAttachmentSettingsAction({ kinds: [] })).toMatchObject({
      ok: false,
      fieldErrors: { kinds: ["Allow at least one kind of file."] },
    });
    expect(await updateAttachmentSettingsAction({ kinds: ["images", "exe"] })).toMatchObject({
      ok: false,
    });
    expect(await updateAttachmentSettingsAction({})).toMatchObject({ ok: false });
  });

  it("reads are cached a few seconds; an invalid stored value falls back to the default", async () => {
    await reset();
    expect(await getSetting(ATTACHMENT_SETTINGS)).toEqual({ kinds: ALL });
    // Another instance saves: this one sees it once its cached copy is CACHE_MS old.
    await db.setting.create({ data: { key: "attachments", value: { kinds: ["archives"] } } });
    expect(await getSetting(ATTACHMENT_SETTINGS)).toEqual({ kinds: ALL });
    const now = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(now + CACHE_MS + 1);
    try {
      expect(await getSetting(ATTACHMENT_SETTINGS)).toEqual({ kinds: ["archives"] });
    } finally {
      clock.mockRestore();
    }
    // A value no longer valid (a kind a later version dropped): the default, not a failure.
    await db.setting.update({ where: { key: "attachments" }, data: { value: { kinds: ["exe"] } } });
    forgetCachedSetting();
    expect(await getSetting(ATTACHMENT_SETTINGS)).toEqual({ kinds: ALL });
  });
});
