import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeActor, uniqueSuffix } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Canned responses (issue 15 §3) through the real services, queries and actions: who may do what
// per role, that nobody reaches someone else's personal snippet (IDOR: not found, and the probe
// audited), that technicians read but never change shared ones, the audit rows of every write,
// and the validation of the shared schemas.

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actions = await import("@/lib/canned/actions");
const { listCannedResponses } = await import("@/lib/canned/queries");
const { createCannedResponse, deleteCannedResponse, updateCannedResponse } =
  await import("@/lib/canned/service");
const { CannedCreateSchema, CannedUpdateSchema, CANNED_BODY_MAX, CANNED_TITLE_MAX } =
  await import("@/lib/canned/schemas");
const { ForbiddenError, NotFoundError } = await import("@/lib/errors");

const db = createTestDb();
type Ctx = Awaited<ReturnType<typeof makeActor>>;
let tech: Ctx;
let otherTech: Ctx;
let admin: Ctx;
let user: Ctx;

beforeAll(async () => {
  [tech, otherTech, admin, user] = await Promise.all([
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "ADMIN"),
    makeActor(db, "USER"),
  ]);
});

afterAll(async () => {
  await db.cannedResponse.deleteMany({ where: { title: { contains: "[it]" } } });
  await db.$disconnect();
});

const title = (what: string) => `[it] ${what} ${uniqueSuffix()}`;
const row = (id: string) => db.cannedResponse.findUnique({ where: { id } });
const auditOf = (id: string) =>
  db.auditEvent.findMany({
    where: { entityType: "CannedResponse", entityId: id },
    orderBy: { id: "asc" },
  });

describe("canned responses: who may do what", () => {
  it("a technician keeps personal snippets; each write is audited with its transaction", async () => {
    const created = await createCannedResponse(tech, {
      title: title("Mine"),
      body: "Hello {{requester.firstName}}",
      shared: false,
    });
    expect(await row(created.id)).toMatchObject({ ownerId: tech.actor.id });
    await expect(
      updateCannedResponse(tech, {
        cannedId: created.id,
        title: "[it] Renamed",
        body: "Hi {{requester.firstName}}",
        shared: false,
      }),
    ).resolves.toEqual({ changed: true });
    // The same values again: nothing written, nothing audited.
    await expect(
      updateCannedResponse(tech, {
        cannedId: created.id,
        title: "[it] Renamed",
        body: "Hi {{requester.firstName}}",
        shared: false,
      }),
    ).resolves.toEqual({ changed: false });
    await deleteCannedResponse(tech, { cannedId: created.id, shared: false });
    expect(await row(created.id)).toBeNull();

    const events = await auditOf(created.id);
    expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["canned.created", "SUCCESS", tech.actor.id],
      ["canned.updated", "SUCCESS", tech.actor.id],
      ["canned.deleted", "SUCCESS", tech.actor.id],
    ]);
    // The text itself is not copied into the append-only trail: a fingerprint and a bounded diff.
    expect(events[0]!.after).toMatchObject({
      shared: false,
      body: { length: "Hello {{requester.firstName}}".length },
    });
    expect(JSON.stringify(events[0]!.after)).not.toContain("Hello");
    expect(events[1]!.metadata).toMatchObject({ bodyDiff: { at: 1, removed: "ello", added: "i" } });
    expect(events[1]!.before).toMatchObject({ title: expect.stringContaining("Mine") });
    expect(events[1]!.after).toMatchObject({ title: "[it] Renamed" });
  });

  it("lists shared snippets and one's own, sorted by title, never anyone else's", async () => {
    const shared = await createCannedResponse(admin, {
      title: title("B shared"),
      body: "For everyone",
      shared: true,
    });
    const mine = await createCannedResponse(tech, {
      title: title("A mine"),
      body: "Mine",
      shared: false,
    });
    const theirs = await createCannedResponse(otherTech, {
      title: title("C theirs"),
      body: "Theirs",
      shared: false,
    });
    const adminsOwn = await createCannedResponse(admin, {
      title: title("D admin's"),
      body: "Admin's own",
      shared: false,
    });

    // This file's rows only (the database is shared with other files, e.g. the T3 matrix).
    const forTech = await listCannedResponses(tech.actor, { q: "[it]" });
    const ids = forTech.map((c) => c.id);
    expect(ids).toContain(shared.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(adminsOwn.id);
    expect(forTech.map((c) => c.title)).toEqual([...forTech.map((c) => c.title)].sort());
    expect(forTech.find((c) => c.id === shared.id)).toMatchObject({
      shared: true,
      editable: false,
    });
    expect(forTech.find((c) => c.id === mine.id)).toMatchObject({ shared: false, editable: true });

    // Admins manage the shared ones, and still see no one's personal snippets but their own.
    const forAdmin = await listCannedResponses(admin.actor, { q: "[it]" });
    expect(forAdmin.find((c) => c.id === shared.id)).toMatchObject({ editable: true });
    expect(forAdmin.map((c) => c.id)).toContain(adminsOwn.id);
    expect(forAdmin.map((c) => c.id)).not.toContain(theirs.id);
    expect(forAdmin.map((c) => c.id)).not.toContain(mine.id);
  });

  it("someone else's personal snippet is not found, for a technician and an admin alike", async () => {
    const theirs = await createCannedResponse(otherTech, {
      title: title("Private"),
      body: "Private text",
      shared: false,
    });
    for (const probe of [tech, admin]) {
      const edit = { cannedId: theirs.id, title: "[it] Hijacked", body: "x" };
      // Asked for as one's own or (an admin) as a shared one: not found either way.
      await expect(updateCannedResponse(probe, { ...edit, shared: false })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        deleteCannedResponse(probe, { cannedId: theirs.id, shared: false }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(
      updateCannedResponse(admin, { cannedId: theirs.id, title: "x", body: "x", shared: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await row(theirs.id)).toMatchObject({ body: "Private text" });
    // An unknown id reads the same.
    await expect(
      deleteCannedResponse(tech, { cannedId: "no-such-snippet", shared: false }),
    ).rejects.toBeInstanceOf(NotFoundError);

    // The probes are audited as refusals (the first of each kind in full).
    const refused = (await auditOf(theirs.id)).filter((e) => e.outcome === "REFUSED");
    expect(refused.map((e) => [e.action, e.actorId, e.metadata])).toEqual(
      expect.arrayContaining([
        ["canned.updated", tech.actor.id, { reason: "not_visible" }],
        ["canned.deleted", tech.actor.id, { reason: "not_visible" }],
        ["canned.updated", admin.actor.id, { reason: "not_visible" }],
      ]),
    );
  });

  it("technicians use shared snippets but cannot create, edit or delete them", async () => {
    await expect(
      createCannedResponse(tech, { title: title("Shared"), body: "x", shared: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const shared = await createCannedResponse(admin, {
      title: title("Policy"),
      body: "Our policy",
      shared: true,
    });
    const edit = { cannedId: shared.id, title: "[it] Changed", body: "x" };
    await expect(updateCannedResponse(tech, { ...edit, shared: true })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      deleteCannedResponse(tech, { cannedId: shared.id, shared: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // Nor as if it were their own: a shared one is nobody's personal snippet.
    await expect(updateCannedResponse(tech, { ...edit, shared: false })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      deleteCannedResponse(tech, { cannedId: shared.id, shared: false }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await row(shared.id)).toMatchObject({ body: "Our policy", ownerId: null });

    await updateCannedResponse(admin, {
      cannedId: shared.id,
      title: "[it] Policy v2",
      body: "Our new policy",
      shared: true,
    });
    await deleteCannedResponse(admin, { cannedId: shared.id, shared: true });
    expect((await auditOf(shared.id)).map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["canned.created", "SUCCESS", admin.actor.id],
      ["canned.updated", "SUCCESS", admin.actor.id],
      ["canned.deleted", "SUCCESS", admin.actor.id],
    ]);
  });

  it("requesters have none: every action refused and audited, nothing listed", async () => {
    await expect(listCannedResponses(user.actor)).rejects.toBeInstanceOf(ForbiddenError);
    const requestId = `req-canned-${uniqueSuffix()}`;
    await actAs(state, user.actor, { requestId });
    const refused = { ok: false, formError: "You are not allowed to do that." };
    expect(await actions.listCannedResponsesAction({})).toEqual(refused);
    expect(await actions.createCannedResponseAction({ title: title("Nope"), body: "x" })).toEqual(
      refused,
    );
    const events = await db.auditEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["canned.list", "REFUSED", user.actor.id],
      ["canned.created", "REFUSED", user.actor.id],
    ]);
    expect(await db.cannedResponse.count({ where: { ownerId: user.actor.id } })).toBe(0);
  });

  it("through the actions: a technician's shared snippet is refused and audited; the list is scoped", async () => {
    const requestId = `req-canned-${uniqueSuffix()}`;
    await actAs(state, tech.actor, { requestId });
    const sharedTitle = title("Sneaky shared");
    expect(
      await actions.createSharedCannedResponseAction({ title: sharedTitle, body: "x" }),
    ).toEqual({ ok: false, formError: "You are not allowed to do that." });
    expect(await db.cannedResponse.count({ where: { title: sharedTitle } })).toBe(0);
    const refusals = await db.auditEvent.findMany({ where: { requestId, outcome: "REFUSED" } });
    expect(refusals.map((e) => [e.action, (e.metadata as { reason: string }).reason])).toEqual([
      ["canned.created", "forbidden"],
    ]);

    const theirs = await createCannedResponse(otherTech, {
      title: title("Not yours"),
      body: "Secret",
      shared: false,
    });
    const listed = await actions.listCannedResponsesAction({ q: "[it]" });
    expect(listed.ok).toBe(true);
    const items = listed.ok ? listed.data : [];
    expect(items.map((c) => c.id)).not.toContain(theirs.id);
    // Only what the picker shows: no owner ids or dates.
    expect(Object.keys(items[0] ?? { id: 0, title: 0, body: 0, shared: 0 }).sort()).toEqual([
      "body",
      "id",
      "shared",
      "title",
    ]);
    const hidden = await actions.updateCannedResponseAction({
      cannedId: theirs.id,
      title: "[it] Mine now",
      body: "x",
    });
    expect(hidden).toMatchObject({ ok: false, formError: expect.stringMatching(/not found/i) });
  });

  it("searches titles and bodies, with % and _ taken literally", async () => {
    const a = await createCannedResponse(tech, {
      title: title("VPN reset"),
      body: "Restart the client",
      shared: false,
    });
    const b = await createCannedResponse(tech, {
      title: title("Printer"),
      body: "100% toner_low fixed",
      shared: false,
    });
    // Only these two: other files may share the database.
    const ids = async (q: string) =>
      (await listCannedResponses(tech.actor, { q }))
        .map((c) => c.id)
        .filter((id) => id === a.id || id === b.id);
    expect(await ids("vpn")).toContain(a.id);
    expect(await ids("vpn")).not.toContain(b.id);
    expect(await ids("RESTART")).toContain(a.id);
    expect(await ids("0% t")).toEqual([b.id]);
    expect(await ids("r_l")).toEqual([b.id]);
    expect(await ids("%")).toEqual([b.id]);
  });
});

describe("canned responses: validation", () => {
  it("trims, and refuses empty, over-long and NUL text", () => {
    expect(CannedCreateSchema.parse({ title: "  Hi  ", body: "  Text \n" })).toEqual({
      title: "Hi",
      body: "Text",
    });
    const bad = [
      { title: "   ", body: "x" },
      { title: "x".repeat(CANNED_TITLE_MAX + 1), body: "x" },
      { title: "x", body: "" },
      { title: "x", body: "x".repeat(CANNED_BODY_MAX + 1) },
      { title: "x\u0000", body: "x" },
      { title: "x", body: "x\u0000" },
      { title: { $ne: 1 }, body: "x" },
    ];
    for (const input of bad) expect(CannedCreateSchema.safeParse(input).success).toBe(false);
    expect(
      CannedCreateSchema.safeParse({ title: "x".repeat(CANNED_TITLE_MAX), body: "x" }).success,
    ).toBe(true);
    expect(CannedUpdateSchema.safeParse({ cannedId: "", title: "x", body: "x" }).success).toBe(
      false,
    );
  });

  it("the action answers with field errors and writes nothing", async () => {
    await actAs(state, tech.actor, { requestId: `req-canned-${uniqueSuffix()}` });
    const before = await db.cannedResponse.count();
    const result = await actions.createCannedResponseAction({
      title: "",
      body: "x".repeat(CANNED_BODY_MAX + 1),
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { title: ["Enter a title."], body: ["At most 10,000 characters."] },
    });
    expect(await db.cannedResponse.count()).toBe(before);
  });
});
