import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { encode } from "next-auth/jwt";
import { makeUser } from "@/prisma/factories";
import { createPrismaClient } from "@/prisma/client";
import { ConflictError } from "@/lib/errors";

// Only the request's headers are stubbed: everything else (guards, audit, database) is real.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));

const { defineAction } = await import("@/lib/action");
const db = createPrismaClient(process.env.TEST_DATABASE_URL!);

async function actAs(user: { id: string; role: string } | null, requestId: string) {
  const h = new Headers({
    host: "localhost:3000",
    "x-forwarded-proto": "http",
    "x-request-id": requestId,
    "user-agent": "vitest",
  });
  if (user) {
    const token = await encode({
      token: { sub: user.id, uid: user.id, role: user.role as "USER", sv: 1 },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    });
    h.set("cookie", `authjs.session-token=${token}`);
  }
  request.headers = h;
}

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
    await actAs(admin, "req-ok");
    expect(await adminOnly({ title: "Hello", secret: "s" })).toEqual({
      ok: true,
      data: { echoed: "Hello" },
    });
  });

  it("refuses a role without the permission, audits the refusal and never calls the handler", async () => {
    const user = await makeUser(db);
    const requestId = `req-refused-${user.id}`;
    await actAs(user, requestId);
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
    await actAs(null, requestId);
    const result = await adminOnly({ title: "Hello", secret: "s" });
    expect(result).toMatchObject({ ok: false, formError: "Please sign in again." });
    const events = await db.auditEvent.findMany({ where: { requestId } });
    expect(events.map((e) => [e.outcome, e.actorId])).toEqual([["REFUSED", null]]);
  });

  it("answers invalid input with field messages and never echoes the values", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(admin, "req-invalid");
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
    await actAs(admin, `req-errors-${admin.id}`);
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
