import { describe, expect, it } from "vitest";
import {
  asAttachmentInfo,
  checkPicked,
  errorText,
  limitsText,
  namePasted,
  needsName,
  pasteIsFiles,
  problemMessage,
  screenshotName,
} from "@/components/attachments/upload-rules";
import { AttachmentSettingsSchema, type AttachmentLimits } from "@/lib/attachments/schemas";
import { ATTACHMENT_KINDS, kindsText } from "@/lib/attachments/types";

const MB = 1024 * 1024;
const limits: AttachmentLimits = {
  maxFileBytes: 25 * MB,
  maxFiles: 3,
  accept: "image/*",
  kinds: [...ATTACHMENT_KINDS],
};

describe("attachment upload rules", () => {
  it("states the limits before a pick", () => {
    expect(limitsText({ ...limits, maxFiles: 10 })).toBe("Up to 10 files, 25 MB each");
    expect(limitsText({ ...limits, maxFiles: 1, maxFileBytes: 1.5 * MB })).toBe(
      "Up to 1 file, 1.5 MB each",
    );
    // An admin narrowed the kinds (/admin/settings): the form says which remain.
    expect(limitsText({ ...limits, maxFiles: 10, kinds: ["pdf", "images"] })).toBe(
      "Up to 10 files, 25 MB each: images and PDF only",
    );
  });

  it("reads the allowed kinds in a sentence, and the settings keep them in one order", () => {
    expect(kindsText(["text"])).toBe("text and logs");
    expect(kindsText(ATTACHMENT_KINDS)).toBe(
      "images, PDF, text and logs, office documents and archives",
    );
    expect(AttachmentSettingsSchema.parse({ kinds: ["archives", "pdf", "pdf"] })).toEqual({
      kinds: ["pdf", "archives"],
    });
    expect(AttachmentSettingsSchema.safeParse({ kinds: [] }).success).toBe(false);
    expect(AttachmentSettingsSchema.safeParse({ kinds: ["exe"] }).success).toBe(false);
  });

  it("refuses a file over the size limit, naming the file and the limit", () => {
    const [big, small] = checkPicked(
      [
        { name: "dump.zip", size: 30 * MB },
        { name: "a.png", size: 1000 },
      ],
      0,
      limits,
    );
    expect(big).toEqual({
      ok: false,
      message: "dump.zip is 30.0 MB: files may be at most 25 MB each.",
    });
    expect(small).toEqual({ ok: true });
    // Exactly the limit is allowed.
    expect(checkPicked([{ name: "x", size: 25 * MB }], 0, limits)[0]).toEqual({ ok: true });
  });

  it("refuses files beyond the per-message count, counting those already attached", () => {
    const verdicts = checkPicked(
      [
        { name: "1.png", size: 1 },
        { name: "too-big.png", size: 26 * MB },
        { name: "2.png", size: 1 },
      ],
      2,
      limits,
    );
    expect(verdicts.map((v) => v.ok)).toEqual([true, false, false]);
    expect(verdicts[2]).toEqual({
      ok: false,
      message: "2.png was not added: a message carries at most 3 files.",
    });
  });

  it("names pasted screenshots by the time of the paste", () => {
    const at = new Date(2026, 11, 4, 9, 5, 7);
    expect(screenshotName(at, "image/png")).toBe("screenshot-2026-12-04-090507.png");
    expect(screenshotName(at, "image/jpeg")).toBe("screenshot-2026-12-04-090507.jpg");
    expect(needsName({ name: "image.png", size: 1, type: "image/png" })).toBe(true);
    expect(needsName({ name: "", size: 1, type: "image/png" })).toBe(true);
    expect(needsName({ name: "error dialog.png", size: 1, type: "image/png" })).toBe(false);
    expect(needsName({ name: "image.png", size: 1, type: "" })).toBe(false);

    const pasted = namePasted(
      [
        new File(["a"], "image.png", { type: "image/png" }),
        new File(["b"], "notes.txt", { type: "text/plain" }),
        new File(["c"], "image.png", { type: "image/png" }),
      ],
      at,
    );
    expect(pasted.map((f) => f.name)).toEqual([
      "screenshot-2026-12-04-090507-1.png",
      "notes.txt",
      "screenshot-2026-12-04-090507-3.png",
    ]);
    expect(pasted[0]!.type).toBe("image/png");
    expect(namePasted([new File(["a"], "image.png", { type: "image/png" })], at)[0]!.name).toBe(
      "screenshot-2026-12-04-090507.png",
    );
  });

  it("leaves a paste of rich text (with a picture of it) to the text box", () => {
    expect(pasteIsFiles(["Files"])).toBe(true);
    expect(pasteIsFiles(["text/plain", "Files"])).toBe(true);
    expect(pasteIsFiles(["text/plain", "text/html", "Files"])).toBe(false);
  });

  it("says why an upload was refused: detail, else title, else by status", () => {
    expect(problemMessage(413, { title: "Too large", detail: "At most 25 MB.", status: 413 })).toBe(
      "At most 25 MB.",
    );
    expect(problemMessage(415, { title: "Type not allowed", status: 415 })).toBe(
      "Type not allowed",
    );
    expect(problemMessage(507, null)).toMatch(/storage is full/);
    expect(problemMessage(500, "<html>")).toBe("The upload failed. Try again.");
  });

  it("accepts only a well-formed upload answer", () => {
    const info = { id: "u1", name: "a.png", size: 3, contentType: "image/png", image: true };
    expect(asAttachmentInfo({ ...info, extra: 1 })).toEqual(info);
    expect(asAttachmentInfo({ ...info, size: "3" })).toBeNull();
    expect(asAttachmentInfo(null)).toBeNull();
  });

  it("finds the message of a form error on the list or one of its ids", () => {
    expect(errorText({ message: "An attachment is listed twice." })).toBe(
      "An attachment is listed twice.",
    );
    expect(errorText([undefined, { message: "An attachment id is malformed." }])).toBe(
      "An attachment id is malformed.",
    );
    expect(errorText({ root: { message: "At most 50 files per message." } })).toBe(
      "At most 50 files per message.",
    );
    expect(errorText(undefined)).toBeUndefined();
  });
});
