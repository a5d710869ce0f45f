import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { makeUser } from "@/prisma/factories";
import { createPrismaClient } from "@/prisma/client";

// The only things mocked are those that exist inside a Next request: the incoming headers.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));

const { authenticate } = await import("@/lib/auth/sign-in");
const { currentUser, requireUser, requirePagePermission } = await import("@/lib/auth/guards");

const db = createPrismaClient(process.env.TEST_DATABASE_URL!);
const context = { ip: "203.0.113.7", userAgent: "vitest", requestId: "req-auth-test" };

async function sessionFor(user: { id: string; role: string }, sv: number) {
  const token = await encode({
    token: { sub: user.id, uid: user.id, role: user.role as "USER", sv },
    secret: process.env.AUTH_SECRET!,
    salt: "authjs.session-token",
  });
  request.headers = new Headers({
    cookie: `authjs.session-token=${token}`,
    host: "localhost:3000",
    "x-forwarded-proto": "http",
  });
}

function attempts(email: string) {
  return db.auditEvent.findMany({
    where: { action: "auth.sign_in", metadata: { path: ["email"], equals: email } },
    orderBy: { id: "asc" },
  });
}

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
  request.headers = new Headers();
});
afterAll(() => db.$disconnect());

describe("authenticate()", () => {
  it("accepts the right password, records the sign-in and the last login time", async () => {
    const user = await makeUser(db);
    const result = await authenticate(
      { email: user.email.toUpperCase(), password: user.password },
      context,
    );
    expect(result).toMatchObject({ id: user.id, role: "USER", sessionVersion: 1 });
    const [event] = await db.auditEvent.findMany({
      where: { action: "auth.sign_in", entityId: user.id },
    });
    expect(event).toMatchObject({
      outcome: "SUCCESS",
      actorId: user.id,
      ip: context.ip,
      userAgent: "vitest",
    });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.lastLoginAt).not.toBeNull();
  });

  it("refuses a wrong password, an unknown account and a deactivated account, auditing each", async () => {
    const user = await makeUser(db);
    const inactive = await makeUser(db, { active: false });
    const unknown = `ghost-${Date.now()}@example.test`;

    expect(
      await authenticate({ email: user.email, password: "wrong-password-123" }, context),
    ).toBeNull();
    expect(
      await authenticate({ email: unknown, password: "wrong-password-123" }, context),
    ).toBeNull();
    expect(
      await authenticate({ email: inactive.email, password: inactive.password }, context),
    ).toBeNull();

    expect(
      (await attempts(user.email)).map((e) => [
        e.outcome,
        (e.metadata as { reason: string }).reason,
      ]),
    ).toEqual([["FAILED", "wrong_password"]]);
    expect((await attempts(unknown)).map((e) => [e.outcome, e.actorId])).toEqual([
      ["FAILED", null],
    ]);
    expect((await attempts(inactive.email)).map((e) => e.outcome)).toEqual(["REFUSED"]);
  });

  it("never truncates at bcrypt's 72 bytes", async () => {
    const user = await makeUser(db, { password: `${"a".repeat(72)}X` });
    expect(
      await authenticate({ email: user.email, password: `${"a".repeat(72)}Y` }, context),
    ).toBeNull();
    expect(
      await authenticate({ email: user.email, password: `${"a".repeat(72)}X` }, context),
    ).not.toBeNull();
  });

  it("rejects type confusion without throwing", async () => {
    expect(await authenticate({ email: { $ne: null }, password: ["x"] }, context)).toBeNull();
  });
});

describe("guards re-read the user on every request", () => {
  it("accepts a current session and takes the role from the database", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN" });
    await sessionFor({ id: user.id, role: "ADMIN" }, 1); // a forged role claim
    const current = await requireUser();
    expect(current).toMatchObject({ id: user.id, role: "TECHNICIAN" });
    // Pages ask the table with the database role: a technician has no "user:manage".
    await expect(requirePagePermission("user:manage")).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;[a-z]+;\/forbidden;/),
    });
    expect(await requirePagePermission("ticket:triage")).toMatchObject({ id: user.id });
  });

  it("refuses a deactivated user's valid cookie", async () => {
    const user = await makeUser(db);
    await sessionFor(user, 1);
    expect(await currentUser()).not.toBeNull();
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    await sessionFor(user, 1); // a new request (currentUser is cached per request)
    await expect(requireUser()).rejects.toThrow("sign in");
  });

  it("refuses a cookie whose sessionVersion was bumped (sign out everywhere, password change)", async () => {
    const user = await makeUser(db);
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    await sessionFor(user, 1);
    expect(await currentUser()).toBeNull();
    await sessionFor(user, 2);
    expect(await currentUser()).toMatchObject({ id: user.id });
  });

  it("refuses no cookie and a cookie signed with another secret", async () => {
    expect(await currentUser()).toBeNull();
    const token = await encode({
      token: { sub: "x", uid: "x", role: "ADMIN", sv: 1 },
      secret: "another-secret-another-secret-another-secret",
      salt: "authjs.session-token",
    });
    request.headers = new Headers({
      cookie: `authjs.session-token=${token}`,
      host: "localhost:3000",
    });
    expect(await currentUser()).toBeNull();
  });
});
