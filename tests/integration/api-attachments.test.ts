// Files through the REST API (ADR 026): a file uploaded by the requester is named in a ticket
// created through the API, listed and downloaded with a token (always as a download, the access
// re-checked by lib/attachments, the download audited with the token's channel), and another
// requester's token gets 404 for both, like an unknown id.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser } from "@/tests/support/factories";
import { callApi, makeApiToken } from "@/tests/support/api-tokens";

const dir = mkdtempSync(join(tmpdir(), "tessera-api-attachments-"));
const uploads = mkdtempSync(join(tmpdir(), "tessera-api-upload-tmp-"));
process.env.TESSERA_STORAGE = "local";
process.env.TESSERA_ATTACHMENT_DIR = dir;
process.env.TESSERA_UPLOAD_TMP_DIR = uploads;
delete process.env.TESSERA_CLAMAV_URL;

const { receiveUpload } = await import("@/lib/attachments/upload");
const tickets = await import("@/app/api/v1/tickets/route");
const list = await import("@/app/api/v1/tickets/[number]/attachments/route");
const download = await import("@/app/api/v1/attachments/[id]/route");

const db = createTestDb();

afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  rmSync(uploads, { recursive: true, force: true });
});

describe("attachments through the API", () => {
  let owner: Awaited<ReturnType<typeof makeApiToken>>;
  let stranger: Awaited<ReturnType<typeof makeApiToken>>;
  let categoryId: string;

  beforeAll(async () => {
    const [a, b] = await Promise.all([makeUser(db), makeUser(db)]);
    const scopes = ["tickets:read", "tickets:write"] as const;
    [owner, stranger] = await Promise.all([
      makeApiToken(db, a.id, { scopes }),
      makeApiToken(db, b.id, { scopes }),
    ]);
    categoryId = (await makeCategory(db)).id;
  });

  it("lists and downloads the ticket's file; another requester gets 404", async () => {
    const text = "line 1: the error log\n";
    const file = await receiveUpload({
      actor: { id: owner.userId },
      fileName: encodeURIComponent("error.log.txt"),
      declaredLength: null,
      body: Readable.from([Buffer.from(text)]),
    });
    const created = await callApi(tickets.POST, {
      token: owner.token,
      path: "/tickets",
      body: { title: "The log attached", categoryId, attachmentIds: [file.id] },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const number = String((created.json as { number: number }).number);

    const listed = await callApi(list.GET, {
      token: owner.token,
      path: `/tickets/${number}/attachments`,
      params: { number },
    });
    expect(listed.json).toMatchObject({
      items: [{ id: file.id, name: "error.log.txt", state: "READY", commentId: null }],
    });

    const requestId = `api-dl-${Date.now()}`;
    const got = await download.GET(
      new Request(`http://localhost:3000/api/v1/attachments/${file.id}`, {
        headers: {
          authorization: `Bearer ${owner.token}`,
          "x-request-id": requestId,
          "x-forwarded-for": "192.0.2.77",
        },
      }),
      { params: Promise.resolve({ id: file.id }) },
    );
    expect(got.status).toBe(200);
    expect(got.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(await got.text()).toBe(text);
    const audited = await db.auditEvent.findMany({ where: { requestId } });
    expect(audited.map((e) => [e.action, e.entityId, e.channel])).toEqual([
      ["attachment.download", file.id, `api:${owner.id}`],
    ]);

    for (const [handler, path, params] of [
      [list.GET, `/tickets/${number}/attachments`, { number }],
      [download.GET, `/attachments/${file.id}`, { id: file.id }],
    ] as const) {
      const res = await callApi(handler, { token: stranger.token, path, params });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
