import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import {
  SAVED_VIEWS_MAX,
  SavedViewCreateSchema,
  SavedViewRenameSchema,
} from "@/lib/saved-views/schemas";
import { listSavedViews } from "@/lib/saved-views/queries";
import { createSavedView, deleteSavedView, renameSavedView } from "@/lib/saved-views/service";
import type { ServiceContext } from "@/lib/service-context";
import { makeActor, uniqueSuffix } from "@/tests/support/factories";

// Saved personal views: CRUD through the services, the query re-parsed by the list's schema on
// save and on use, the per-person limit, and that nobody reaches another person's views (IDOR).
let owner: ServiceContext;
let other: ServiceContext;

beforeAll(async () => {
  [owner, other] = await Promise.all([makeActor(db, "TECHNICIAN"), makeActor(db, "TECHNICIAN")]);
});

afterAll(async () => {
  await db.savedView.deleteMany({ where: { userId: { in: [owner.actor.id, other.actor.id] } } });
});

const auditOf = (entityId: string) =>
  db.auditEvent.findMany({ where: { entityType: "SavedView", entityId }, orderBy: { id: "asc" } });

describe("saved views", () => {
  it("saves the list state re-parsed and in canonical order, audited; lists only one's own", async () => {
    const name = `Urgent ${uniqueSuffix()}`;
    const view = await createSavedView(owner, {
      name,
      // Unknown keys, a bad queue, a page cursor and size: dropped. The rest in canonical order.
      query:
        "sort=title-asc&evil=%3Cscript%3E&priority=HIGH,URGENT&queue=bogus&cursor=abc&limit=5&density=compact",
    });
    expect(view.query).toBe("priority=HIGH%2CURGENT&sort=title-asc&density=compact");
    const row = await db.savedView.findUniqueOrThrow({ where: { id: view.id } });
    expect(row).toMatchObject({ userId: owner.actor.id, name, query: view.query });

    const mine = await listSavedViews(owner.actor);
    const listed = mine.find((v) => v.id === view.id);
    expect(listed?.state).toEqual({
      priority: ["HIGH", "URGENT"],
      sort: "title-asc",
      density: "compact",
    });
    expect((await listSavedViews(other.actor)).map((v) => v.id)).not.toContain(view.id);

    const [event] = await auditOf(view.id);
    expect(event).toMatchObject({
      action: "saved_view.create",
      outcome: "SUCCESS",
      actorId: owner.actor.id,
    });
  });

  it("re-parses a stored query on use: what the schema refuses never reaches the list", async () => {
    const row = await db.savedView.create({
      data: {
        userId: owner.actor.id,
        name: `Tampered ${uniqueSuffix()}`,
        query: "queue=open&status=NOPE&sort=DROP%20TABLE&assignee=me&createdFrom=2026-02-30",
      },
    });
    const listed = (await listSavedViews(owner.actor)).find((v) => v.id === row.id);
    expect(listed?.query).toBe("queue=open&assignee=me");
    expect(listed?.state).toEqual({ queue: "open", assignee: "me" });
  });

  it("renames and deletes one's own view; refuses a duplicate name", async () => {
    const a = await createSavedView(owner, { name: `A ${uniqueSuffix()}`, query: "queue=mine" });
    const bName = `B ${uniqueSuffix()}`;
    await createSavedView(owner, { name: bName, query: "queue=open" });

    await expect(renameSavedView(owner, { viewId: a.id, name: bName })).rejects.toThrow(
      ValidationError,
    );
    const renamed = `Renamed ${uniqueSuffix()}`;
    await renameSavedView(owner, { viewId: a.id, name: renamed });
    expect((await db.savedView.findUniqueOrThrow({ where: { id: a.id } })).name).toBe(renamed);

    await deleteSavedView(owner, { viewId: a.id });
    expect(await db.savedView.count({ where: { id: a.id } })).toBe(0);
    expect((await auditOf(a.id)).map((e) => e.action)).toEqual([
      "saved_view.create",
      "saved_view.rename",
      "saved_view.delete",
    ]);
  });

  it("IDOR: another person can neither rename nor delete a view, and learns nothing", async () => {
    const name = `Private ${uniqueSuffix()}`;
    const view = await createSavedView(owner, { name, query: "queue=waiting" });

    const rename = renameSavedView(other, { viewId: view.id, name: "Hijacked" });
    await expect(rename).rejects.toThrow(NotFoundError);
    await expect(rename).rejects.toThrow("Saved view not found.");
    await expect(deleteSavedView(other, { viewId: view.id })).rejects.toThrow(
      "Saved view not found.",
    );
    // An id that does not exist gets the very same answer.
    await expect(deleteSavedView(other, { viewId: "does-not-exist" })).rejects.toThrow(
      "Saved view not found.",
    );

    const row = await db.savedView.findUniqueOrThrow({ where: { id: view.id } });
    expect(row).toMatchObject({ userId: owner.actor.id, name, query: "queue=waiting" });
    const refused = (await auditOf(view.id)).filter((e) => e.outcome === "REFUSED");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ actorId: other.actor.id });
    expect((refused[0]!.metadata as { reason?: string }).reason).toBe("not_visible");
  });

  it(`keeps at most ${SAVED_VIEWS_MAX} views per person, also when saved at once`, async () => {
    const person = await makeActor(db, "TECHNICIAN");
    const tag = uniqueSuffix();
    const results = await Promise.allSettled(
      Array.from({ length: SAVED_VIEWS_MAX + 3 }, (_, i) =>
        createSavedView(person, { name: `View ${i} ${tag}`, query: `q=word${i}` }),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    }
    expect(await db.savedView.count({ where: { userId: person.actor.id } })).toBe(SAVED_VIEWS_MAX);
    await db.savedView.deleteMany({ where: { userId: person.actor.id } });
  });

  it("validates names and queries with the actions' schema", () => {
    expect(SavedViewCreateSchema.safeParse({ name: "  ", query: "" }).success).toBe(false);
    expect(SavedViewCreateSchema.safeParse({ name: "x".repeat(61), query: "" }).success).toBe(
      false,
    );
    expect(SavedViewCreateSchema.safeParse({ name: "a\u0000b", query: "" }).success).toBe(false);
    expect(
      SavedViewCreateSchema.safeParse({ name: "Long", query: "q=".padEnd(2001, "x") }).success,
    ).toBe(false);
    expect(SavedViewRenameSchema.safeParse({ viewId: "", name: "ok" }).success).toBe(false);
    expect(SavedViewCreateSchema.parse({ name: "  Mine  ", query: "queue=mine" })).toEqual({
      name: "Mine",
      query: "queue=mine",
    });
  });
});
