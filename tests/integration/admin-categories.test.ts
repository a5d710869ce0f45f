import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { contextFor, makeActor, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actions = await import("@/lib/categories/actions");
const service = await import("@/lib/categories/service");
const { listActiveCategories } = await import("@/lib/categories/queries");
const { createTicket } = await import("@/lib/tickets/service");

const db = createTestDb();
afterAll(() => db.$disconnect());
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});

describe("category administration", () => {
  for (const role of ["USER", "TECHNICIAN"] as const) {
    it(`refuses every category action to a ${role.toLowerCase()}, audited`, async () => {
      const caller = await makeUser(db, { role });
      const asAdmin = await makeActor(db, "ADMIN");
      const category = await service.createCategory(asAdmin, {
        name: `Keep ${uniqueSuffix()}`,
        defaultAssigneeId: null,
      });
      const calls = {
        "category.create": () => actions.createCategoryAction({ name: `Nope ${uniqueSuffix()}` }),
        "category.rename": () =>
          actions.renameCategoryAction({ categoryId: category.id, name: "Hacked" }),
        "category.reorder": () =>
          actions.moveCategoryAction({ categoryId: category.id, direction: "up" }),
        "category.archive": () =>
          actions.setCategoryArchivedAction({ categoryId: category.id, archived: true }),
        "category.default_assignee": () =>
          actions.setCategoryDefaultAssigneeAction({
            categoryId: category.id,
            defaultAssigneeId: caller.id,
          }),
      };
      for (const [name, call] of Object.entries(calls)) {
        const requestId = `req-cat-${name}-${caller.id}`;
        await actAs(state, caller, { requestId });
        expect(await call(), name).toEqual({
          ok: false,
          formError: "You are not allowed to do that.",
        });
        const events = await db.auditEvent.findMany({ where: { requestId } });
        expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
          [name, "REFUSED", caller.id],
        ]);
      }
      expect(await db.category.findUniqueOrThrow({ where: { id: category.id } })).toMatchObject({
        name: category.name,
        archived: false,
        defaultAssigneeId: null,
      });
    });
  }

  it("creates, renames, reorders and archives, each audited with before/after", async () => {
    const { actor: admin } = await makeActor(db, "ADMIN");
    const tag = uniqueSuffix();
    await actAs(state, admin);
    const a = await actions.createCategoryAction({ name: `A ${tag}` });
    const b = await actions.createCategoryAction({ name: `B ${tag}`, defaultAssigneeId: "" });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    // A duplicate name (any case) is refused on the field.
    expect(await actions.createCategoryAction({ name: `a ${tag}`.toUpperCase() })).toMatchObject({
      ok: false,
      fieldErrors: { name: [expect.stringContaining("already exists")] },
    });

    const order = async () =>
      (await listActiveCategories()).map((c) => c.name).filter((n) => n.endsWith(tag));
    expect(await order()).toEqual([`A ${tag}`, `B ${tag}`]);
    expect((await actions.moveCategoryAction({ categoryId: b.data.id, direction: "up" })).ok).toBe(
      true,
    );
    expect(await order()).toEqual([`B ${tag}`, `A ${tag}`]);

    expect(
      (await actions.renameCategoryAction({ categoryId: a.data.id, name: `A2 ${tag}` })).ok,
    ).toBe(true);
    expect(
      (await actions.setCategoryArchivedAction({ categoryId: b.data.id, archived: true })).ok,
    ).toBe(true);
    expect(await order()).toEqual([`A2 ${tag}`]); // archived: gone from new-ticket forms
    expect(
      (await actions.setCategoryArchivedAction({ categoryId: b.data.id, archived: false })).ok,
    ).toBe(true);
    expect(await order()).toEqual([`B ${tag}`, `A2 ${tag}`]);

    const events = await db.auditEvent.findMany({
      where: { entityType: "Category", entityId: { in: [a.data.id, b.data.id] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["category.create", admin.id],
      ["category.create", admin.id],
      ["category.reorder", admin.id],
      ["category.rename", admin.id],
      ["category.archive", admin.id],
      ["category.unarchive", admin.id],
    ]);
    expect(events[3]).toMatchObject({ before: { name: `A ${tag}` }, after: { name: `A2 ${tag}` } });
  });

  it("archived categories stay on old tickets and are refused for new ones", async () => {
    const asAdmin = await makeActor(db, "ADMIN");
    const category = await service.createCategory(asAdmin, {
      name: `Old ${uniqueSuffix()}`,
      defaultAssigneeId: null,
    });
    const requester = await makeUser(db);
    const ctx = contextFor(requester);
    const ticket = await createTicket(ctx, {
      title: "Before",
      description: "x",
      categoryId: category.id,
    });
    await service.setCategoryArchived(asAdmin, { categoryId: category.id, archived: true });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).categoryId).toBe(
      category.id,
    );
    await expect(
      createTicket(ctx, { title: "After", description: "x", categoryId: category.id }),
    ).rejects.toThrow("Choose a category");
  });

  it("new tickets go to the category's default assignee while they are active staff", async () => {
    const asAdmin = await makeActor(db, "ADMIN");
    const tech = await makeUser(db, { role: "TECHNICIAN" });
    const user = await makeUser(db);
    await expect(
      service.createCategory(asAdmin, {
        name: `Bad ${uniqueSuffix()}`,
        defaultAssigneeId: user.id,
      }),
    ).rejects.toThrow("active technician or admin");
    const category = await service.createCategory(asAdmin, {
      name: `Net ${uniqueSuffix()}`,
      defaultAssigneeId: null,
    });
    await service.setCategoryDefaultAssignee(asAdmin, {
      categoryId: category.id,
      defaultAssigneeId: tech.id,
    });
    const ctx = contextFor(user);
    const first = await createTicket(ctx, {
      title: "VPN down",
      description: "x",
      categoryId: category.id,
    });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: first.id } })).assigneeId).toBe(
      tech.id,
    );
    const created = await db.auditEvent.findFirstOrThrow({
      where: { entityType: "Ticket", entityId: first.id, action: "ticket.create" },
    });
    expect(created.after).toMatchObject({ assigneeId: tech.id });

    await db.user.update({ where: { id: tech.id }, data: { active: false } });
    const second = await createTicket(ctx, {
      title: "VPN still down",
      description: "x",
      categoryId: category.id,
    });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: second.id } })).assigneeId).toBeNull();
  });
});
