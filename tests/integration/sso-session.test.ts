import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// A single sign-on session (am: "oidc" in the signed cookie; ADR 029) is authenticated by the
// identity provider, MFA included: the database re-check in currentUser() does not send it to
// Tessera's MFA enrollment nor to a due password change. A password session of the same person
// still gets both. The claim lives in the encrypted cookie, so a client cannot add it.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { currentUser } = await import("@/lib/auth/guards");
const { createTicketAction } = await import("@/lib/tickets/actions");

const db = createTestDb();
afterAll(() => db.$disconnect());

describe("the sign-in method in the session", () => {
  it("staff without Tessera MFA: enrollment is required after a password, not after SSO", async () => {
    const tech = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    await actAs(state, tech);
    expect(await currentUser()).toMatchObject({
      signInMethod: "password",
      mfaEnrollmentRequired: true,
    });
    await actAs(state, tech, { am: "oidc" });
    expect(await currentUser()).toMatchObject({
      signInMethod: "oidc",
      mfaEnrollmentRequired: false,
    });
  });

  it("an SSO session's actions go through; the password session's are held for enrollment", async () => {
    const tech = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    const category = await makeCategory(db);
    const input = { title: `SSO session ticket ${tech.id}`, categoryId: category.id };
    await actAs(state, tech);
    expect(await createTicketAction(input)).toMatchObject({ ok: false });
    await actAs(state, tech, { am: "oidc" });
    expect(await createTicketAction(input)).toMatchObject({ ok: true });
  });

  it("a due password change holds a password session only", async () => {
    const user = await makeUser(db, { mustChangePassword: true });
    await actAs(state, user);
    expect((await currentUser())?.mustChangePassword).toBe(true);
    await actAs(state, user, { am: "oidc" });
    expect((await currentUser())?.mustChangePassword).toBe(false);
  });

  it("still refuses a deactivated account or a revoked session, whatever the method", async () => {
    const user = await makeUser(db, {});
    await actAs(state, user, { am: "oidc", sv: 2 });
    expect(await currentUser()).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    await actAs(state, user, { am: "oidc" });
    expect(await currentUser()).toBeNull();
  });
});
