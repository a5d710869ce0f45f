import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { signInEvents } from "@/tests/support/audit";
import { makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { allowConsoleError } from "@/tests/setup/console-guard";

// The only things mocked are those that exist inside a Next request: headers and cookies.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));

const { authenticate } = await import("@/lib/auth/sign-in");
const { currentUser, requireUser, requirePagePermission } = await import("@/lib/auth/guards");

const db = createTestDb();
const context = { ip: "203.0.113.7", userAgent: "vitest", requestId: "req-auth-test" };

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
  state.headers = new Headers();
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
      (await signInEvents(db, user.email)).map((e) => [
        e.outcome,
        (e.metadata as { reason: string }).reason,
      ]),
    ).toEqual([["FAILED", "wrong_password"]]);
    expect((await signInEvents(db, unknown)).map((e) => [e.outcome, e.actorId])).toEqual([
      ["FAILED", null],
    ]);
    expect((await signInEvents(db, inactive.email)).map((e) => e.outcome)).toEqual(["REFUSED"]);
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
    await actAs(state, user, { role: "ADMIN" }); // a forged role claim
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
    await actAs(state, user);
    expect(await currentUser()).not.toBeNull();
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    await actAs(state, user); // a new request (currentUser is cached per request)
    await expect(requireUser()).rejects.toThrow("sign in");
  });

  it("refuses a cookie whose sessionVersion was bumped (sign out everywhere, password change)", async () => {
    const user = await makeUser(db);
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    await actAs(state, user);
    expect(await currentUser()).toBeNull();
    await actAs(state, user, { sv: 2 });
    expect(await currentUser()).toMatchObject({ id: user.id });
  });

  it("refuses no cookie and a cookie signed with another secret", async () => {
    expect(await currentUser()).toBeNull();
    const user = await makeUser(db, { role: "ADMIN" });
    allowConsoleError(/JWTSessionError/); // lib/auth/config.ts reports the forged cookie
    await actAs(state, user, { secret: "another-secret-another-secret-another-secret" });
    expect(await currentUser()).toBeNull();
    await actAs(state, user); // control: the same cookie signed with our secret
    expect(await currentUser()).toMatchObject({ id: user.id });
  });
});
