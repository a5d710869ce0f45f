import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { z } from "zod";
import { makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { ConflictError } from "@/lib/errors";

// Only the request's headers and cookies are stubbed: everything else (guards, audit, database)
// is real.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));

const { defineAction } = await import("@/lib/action");
const db = createTestDb();

const handler = vi.fn(async (input: { title: string; secret: string }) => ({
  echoed: input.title,
}));
const adminOnly = defineAction({
  name: "test.admin_only",
  schema: z.object({ title: z.string().min(3, "Too short."), secret: z.string() }),
  permission: "user:manage",
  handler,
});

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
  handler.mockClear();
});
afterAll(() => db.$disconnect());

describe("defineAction", () => {
  it("runs the handler for a permitted user and returns its data", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(state, admin, { requestId: "req-ok" });
    expect(await adminOnly({ title: "Hello", secret: "s" })).toEqual({
      ok: true,
      data: { echoed: "Hello" },
    });
  });

  it("refuses a role without the permission, audits the refusal and never calls the handler", async () => {
    const user = await makeUser(db);
    const requestId = `req-refused-${user.id}`;
    await actAs(state, user, { requestId });
    const result = await adminOnly({ title: "Hello", secret: "s" });
    expect(result).toEqual({ ok: false, formError: "You are not allowed to do that." });
    expect(handler).not.toHaveBeenCalled();
    const events = await db.auditEvent.findMany({ where: { requestId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "test.admin_only",
      outcome: "REFUSED",
      actorId: user.id,
    });
  });

  it("refuses and audits an anonymous caller", async () => {
    const requestId = `req-anon-${Date.now()}`;
    await actAs(state, null, { requestId });
    const result = await adminOnly({ title: "Hello", secret: "s" });
    expect(result).toMatchObject({ ok: false, formError: "Please sign in again." });
    const events = await db.auditEvent.findMany({ where: { requestId } });
    expect(events.map((e) => [e.outcome, e.actorId])).toEqual([["REFUSED", null]]);
  });

  it("answers invalid input with field messages and never echoes the values", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(state, admin, { requestId: "req-invalid" });
    const result = await adminOnly({ title: "x", secret: "do-not-echo-me" });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("do-not-echo-me");
    expect(result).toMatchObject({
      formError: "Please correct the highlighted fields.",
      fieldErrors: { title: ["Too short."] },
    });
    expect(await adminOnly({ title: { $gt: "" }, secret: 1 })).toMatchObject({ ok: false });
    expect(handler).not.toHaveBeenCalled();
  });

  it("turns expected errors into their message and unexpected ones into a generic answer", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(state, admin, { requestId: `req-errors-${admin.id}` });
    handler.mockRejectedValueOnce(new ConflictError());
    expect(await adminOnly({ title: "Hello", secret: "s" })).toMatchObject({
      ok: false,
      formError: expect.stringContaining("changed since you opened it"),
    });
    handler.mockRejectedValueOnce(new Error("connection string postgres://secret@db"));
    const result = await adminOnly({ title: "Hello", secret: "s" });
    expect(result).toMatchObject({
      ok: false,
      formError: expect.stringContaining(`reference req-errors-${admin.id}`),
    });
    expect(JSON.stringify(result)).not.toContain("secret@db");
  });
});
