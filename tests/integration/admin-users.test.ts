import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { contextFor, makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { withOnlyAdmins } from "@/tests/support/admin";

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actions = await import("@/lib/users/actions");
const { REAUTH_COOKIE, REAUTH_REQUIRED_MESSAGE } = await import("@/lib/auth/reauth");
const { currentUser } = await import("@/lib/auth/guards");
const { authenticate } = await import("@/lib/auth/sign-in");
const service = await import("@/lib/users/admin-service");
const { confirmPassword } = await import("@/lib/auth/reauth");

const db = createTestDb();
afterAll(() => db.$disconnect());
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});

type Made = Awaited<ReturnType<typeof makeUser>>;

/** Confirms the admin's password through the real action; returns that browser's cookie jar. */
async function freshJar(admin: Made): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  await actAs(state, admin, { jar });
  expect(await actions.confirmPasswordAction({ password: admin.password })).toEqual({
    ok: true,
    data: null,
  });
  expect(jar.get(REAUTH_COOKIE)).toBeTruthy();
  return jar;
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));

async function eventsOf(requestId: string) {
  return db.auditEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } });
}

describe("user administration is refused to users and technicians", () => {
  for (const role of ["USER", "TECHNICIAN"] as const) {
    it(`refuses every admin action to a ${role.toLowerCase()} and audits each refusal`, async () => {
      const caller = await makeUser(db, { role });
      const target = await makeUser(db);
      const calls = {
        "user.create": () =>
          actions.createUserAction({
            email: `x-${target.id}@example.test`,
            name: "X",
            role: "ADMIN",
          }),
        "user.role_change": () =>
          actions.changeUserRoleAction({ userId: target.id, role: "ADMIN" }),
        "user.set_active": () => actions.setUserActiveAction({ userId: target.id, active: false }),
        "user.sign_out_everywhere": () =>
          actions.signOutUserEverywhereAction({ userId: target.id }),
        "user.password_reset": () => actions.resetUserPasswordAction({ userId: target.id }),
        "auth.reauth": () => actions.confirmPasswordAction({ password: caller.password }),
      };
      for (const [name, call] of Object.entries(calls)) {
        const requestId = `req-refuse-${name}-${caller.id}`;
        await actAs(state, caller, { requestId });
        expect(await call(), name).toEqual({
          ok: false,
          formError: "You are not allowed to do that.",
        });
        const events = await eventsOf(requestId);
        expect(
          events.map((e) => [e.action, e.outcome, e.actorId]),
          name,
        ).toEqual([[name, "REFUSED", caller.id]]);
      }
      const after = await db.user.findUniqueOrThrow({ where: { id: target.id } });
      expect(after).toMatchObject({ role: "USER", active: true, sessionVersion: 1 });
      expect(await db.user.count({ where: { email: `x-${target.id}@example.test` } })).toBe(0);
    });
  }

  it("the services refuse a non-admin too (defence in depth)", async () => {
    const tech = await makeUser(db, { role: "TECHNICIAN" });
    const target = await makeUser(db);
    await expect(
      service.signOutUserEverywhere(contextFor(tech), { userId: target.id }),
    ).rejects.toThrow("not allowed");
  });
});

describe("creating users and resetting passwords", () => {
  it("creates a user with a one-time password that must be changed, audited with the actor", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const requestId = `req-create-${admin.id}`;
    await actAs(state, admin, { requestId });
    const email = `new-tech-${admin.id}@example.test`;
    const result = await actions.createUserAction({ email, name: "New Tech", role: "TECHNICIAN" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.oneTimePassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ role: "TECHNICIAN", mustChangePassword: true, active: true });
    const signedIn = await authenticate(
      { email, password: result.data.oneTimePassword },
      { ip: null, userAgent: null, requestId: "x" },
    );
    expect(signedIn?.id).toBe(user.id);
    const [event] = (await eventsOf(requestId)).filter((e) => e.action === "user.create");
    expect(event).toMatchObject({ outcome: "SUCCESS", actorId: admin.id, entityId: user.id });
    expect(json(event)).not.toContain(result.data.oneTimePassword);
  });

  it("creating an admin needs a fresh confirmation", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(state, admin);
    const email = `new-admin-${admin.id}@example.test`;
    expect(await actions.createUserAction({ email, name: "A", role: "ADMIN" })).toEqual({
      ok: false,
      formError: REAUTH_REQUIRED_MESSAGE,
    });
    const jar = await freshJar(admin);
    await actAs(state, admin, { jar });
    expect((await actions.createUserAction({ email, name: "A", role: "ADMIN" })).ok).toBe(true);
  });

  it("resets a password: new one-time password, sessions ended, change forced, nothing secret audited", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db);
    const jar = await freshJar(admin);
    const requestId = `req-reset-${target.id}`;
    await actAs(state, admin, { jar, requestId });
    const result = await actions.resetUserPasswordAction({ userId: target.id });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const after = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toMatchObject({ mustChangePassword: true, sessionVersion: 2 });
    const ctx = { ip: null, userAgent: null, requestId: "x" };
    expect(await authenticate({ email: target.email, password: target.password }, ctx)).toBeNull();
    expect(
      await authenticate({ email: target.email, password: result.data.oneTimePassword }, ctx),
    ).not.toBeNull();
    const events = await eventsOf(requestId);
    expect(events.map((e) => e.action)).toEqual(["user.password_reset"]);
    expect(json(events)).not.toContain(result.data.oneTimePassword);
    expect(events[0]!.before).toEqual({ mustChangePassword: false, sessionVersion: 1 });
  });

  it("sign out everywhere ends the user's sessions at once", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db);
    await actAs(state, target);
    expect(await currentUser()).not.toBeNull();
    await actAs(state, admin);
    expect((await actions.signOutUserEverywhereAction({ userId: target.id })).ok).toBe(true);
    await actAs(state, target);
    expect(await currentUser()).toBeNull();
  });
});

describe("fresh password confirmation", () => {
  it("refuses role and status changes without one, and audits the refusal", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db);
    for (const call of [
      () => actions.changeUserRoleAction({ userId: target.id, role: "TECHNICIAN" }),
      () => actions.setUserActiveAction({ userId: target.id, active: false }),
      () => actions.resetUserPasswordAction({ userId: target.id }),
    ]) {
      const requestId = `req-nofresh-${crypto.randomUUID()}`;
      await actAs(state, admin, { requestId });
      expect(await call()).toEqual({ ok: false, formError: REAUTH_REQUIRED_MESSAGE });
      expect((await eventsOf(requestId)).map((e) => e.outcome)).toEqual(["REFUSED"]);
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({
      role: "USER",
      active: true,
      sessionVersion: 1,
    });
  });

  it("a wrong password is refused and audited; the right one unlocks for 15 minutes, this browser only", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db);
    const requestId = `req-wrong-${admin.id}`;
    await actAs(state, admin, { requestId });
    const wrong = await actions.confirmPasswordAction({ password: "not-my-password-at-all" });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { password: [expect.any(String)] } });
    expect((await eventsOf(requestId)).map((e) => [e.action, e.outcome])).toEqual([
      ["auth.reauth", "FAILED"],
    ]);
    expect(state.cookies.has(REAUTH_COOKIE)).toBe(false);

    const jar = await freshJar(admin);
    // Another browser of the same admin (no reauth cookie, or a made-up one) is not unlocked.
    await actAs(state, admin, { jar: new Map([[REAUTH_COOKIE, "forged-token"]]) });
    expect(await actions.changeUserRoleAction({ userId: target.id, role: "TECHNICIAN" })).toEqual({
      ok: false,
      formError: REAUTH_REQUIRED_MESSAGE,
    });
    await actAs(state, admin, { jar });
    expect(await actions.changeUserRoleAction({ userId: target.id, role: "TECHNICIAN" })).toEqual({
      ok: true,
      data: { changed: true },
    });
    // 16 minutes later (moved in the database: the server's record decides, not the cookie).
    await db.$executeRaw`UPDATE "User" SET "reauthenticatedAt" = now() - interval '16 minutes' WHERE id = ${admin.id}`;
    await actAs(state, admin, { jar });
    expect(await actions.changeUserRoleAction({ userId: target.id, role: "USER" })).toEqual({
      ok: false,
      formError: REAUTH_REQUIRED_MESSAGE,
    });
  });

  it("throttles repeated wrong confirmations", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    for (let i = 0; i < 5; i += 1) {
      await expect(
        confirmPassword(contextFor(admin), { password: "wrong-password-wrong" }),
      ).rejects.toThrow("not your password");
    }
    await expect(confirmPassword(contextFor(admin), { password: admin.password })).rejects.toThrow(
      "Too many attempts",
    );
  });
});

describe("role changes and deactivation bite at once", () => {
  it("a demoted admin's old cookie is refused on the very next request", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const victim = await makeUser(db, { role: "ADMIN" });
    await actAs(state, victim);
    expect(await currentUser()).toMatchObject({ role: "ADMIN" });
    const jar = await freshJar(admin);
    await actAs(state, admin, { jar });
    expect((await actions.changeUserRoleAction({ userId: victim.id, role: "USER" })).ok).toBe(true);
    await actAs(state, victim); // the cookie the victim's browser still holds (sv 1)
    expect(await currentUser()).toBeNull();
    expect(await actions.signOutUserEverywhereAction({ userId: admin.id })).toEqual({
      ok: false,
      formError: "Please sign in again.",
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.role_change", entityId: victim.id },
    });
    expect(event).toMatchObject({
      actorId: admin.id,
      before: { role: "ADMIN", sessionVersion: 1 },
      after: { role: "USER", sessionVersion: 2 },
    });
  });

  it("deactivation refuses the user's open session; reactivation does not revive old cookies", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db);
    const jar = await freshJar(admin);
    await actAs(state, admin, { jar });
    expect((await actions.setUserActiveAction({ userId: target.id, active: false })).ok).toBe(true);
    await actAs(state, target);
    expect(await currentUser()).toBeNull();
    await actAs(state, admin, { jar });
    expect((await actions.setUserActiveAction({ userId: target.id, active: true })).ok).toBe(true);
    await actAs(state, target, { sv: 1 });
    expect(await currentUser()).toBeNull();
    const actionsAudited = await db.auditEvent.findMany({
      where: { entityType: "User", entityId: target.id },
      orderBy: { id: "asc" },
    });
    expect(actionsAudited.map((e) => e.action)).toEqual(["user.deactivate", "user.reactivate"]);
  });

  it("an admin cannot deactivate their own account", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const jar = await freshJar(admin);
    await actAs(state, admin, { jar });
    expect(await actions.setUserActiveAction({ userId: admin.id, active: false })).toMatchObject({
      ok: false,
      formError: service.SELF_DEACTIVATE_MESSAGE,
    });
  });
});

describe("the last active admin", () => {
  it("can be neither demoted nor deactivated", async () => {
    const a = await makeUser(db, { role: "ADMIN" });
    const b = await makeUser(db, { role: "ADMIN" });
    const jarA = await freshJar(a);
    await withOnlyAdmins(db, [a.id, b.id], async () => {
      await actAs(state, a, { jar: jarA });
      expect((await actions.setUserActiveAction({ userId: b.id, active: false })).ok).toBe(true);
      await actAs(state, a, { jar: jarA });
      expect(await actions.changeUserRoleAction({ userId: a.id, role: "USER" })).toEqual({
        ok: false,
        formError: service.LAST_ADMIN_MESSAGE,
      });
      expect(await db.user.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
        role: "ADMIN",
        active: true,
      });
    });
  });

  it("two concurrent demotions of the last two admins: exactly one passes", async () => {
    for (let round = 0; round < 3; round += 1) {
      const a = await makeUser(db, { role: "ADMIN" });
      const b = await makeUser(db, { role: "ADMIN" });
      const tokenA = (await confirmPassword(contextFor(a), { password: a.password })).token;
      const tokenB = (await confirmPassword(contextFor(b), { password: b.password })).token;
      const ctxA = contextFor(a, { reauthToken: tokenA });
      const ctxB = contextFor(b, { reauthToken: tokenB });
      await withOnlyAdmins(db, [a.id, b.id], async () => {
        const results = await Promise.allSettled(
          round === 2
            ? // one admin demotes both, including themself
              [
                service.changeUserRole(ctxA, { userId: b.id, role: "USER" }),
                service.changeUserRole(ctxA, { userId: a.id, role: "TECHNICIAN" }),
              ]
            : [
                service.changeUserRole(ctxA, { userId: b.id, role: "USER" }),
                service.changeUserRole(ctxB, { userId: a.id, role: "USER" }),
              ],
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const admins = await db.user.count({
          where: { id: { in: [a.id, b.id] }, role: "ADMIN", active: true },
        });
        expect(admins).toBe(1);
      });
    }
  });
});
