import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Issue 10 §5: a one-time password (new account, admin reset) opens nothing but the password
// change and sign-out: every other action, and the route handlers that use authorizeRequest
// (the audit CSV export), refuse until it is replaced. The pages already redirected.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { authorizeRequest } = await import("@/lib/action");
const { createTicketAction } = await import("@/lib/tickets/actions");
const { changePasswordAction } = await import("@/lib/users/actions");
const { signOutEverywhereAction } = await import("@/lib/auth/actions");
const { createCategoryAction } = await import("@/lib/categories/actions");
const { PasswordChangeRequiredError } = await import("@/lib/errors");
const { getRequestContext } = await import("@/lib/request-context");

const db = createTestDb();
const REFUSED = "Choose a new password first (Account → Password).";

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});
afterAll(() => db.$disconnect());

async function refusalsOf(requestId: string) {
  return db.auditEvent.findMany({ where: { requestId, outcome: "REFUSED" } });
}

describe("mustChangePassword in the action wrapper", () => {
  it("refuses a user's ticket creation until the password is changed, and audits it", async () => {
    const user = await makeUser(db, { mustChangePassword: true });
    const category = await makeCategory(db);
    const requestId = `req-mcp-ticket-${user.id}`;
    await actAs(state, user, { requestId });
    const result = await createTicketAction({
      title: "Printer is on fire",
      categoryId: category.id,
    });
    expect(result).toEqual({ ok: false, formError: REFUSED });
    expect(await db.ticket.count({ where: { requesterId: user.id } })).toBe(0);
    const [refusal] = await refusalsOf(requestId);
    expect(refusal).toMatchObject({ action: "ticket.create", actorId: user.id });
    expect(refusal?.metadata).toMatchObject({ reason: "password_change_required" });

    // Once the password is changed (the flag cleared), the same call goes through.
    await db.user.update({ where: { id: user.id }, data: { mustChangePassword: false } });
    await actAs(state, user);
    expect(
      await createTicketAction({ title: "Printer is on fire", categoryId: category.id }),
    ).toMatchObject({ ok: true });
  });

  it("refuses an admin's admin action (MFA set up) while the password change is due", async () => {
    const admin = await makeUser(db, { role: "ADMIN", mustChangePassword: true });
    await actAs(state, admin);
    const name = `Gate ${admin.id}`;
    expect(await createCategoryAction({ name })).toEqual({ ok: false, formError: REFUSED });
    expect(await db.category.count({ where: { name } })).toBe(0);
  });

  it("leaves the password change itself open", async () => {
    const user = await makeUser(db, { mustChangePassword: true });
    await actAs(state, user);
    const result = await changePasswordAction({
      currentPassword: "not-the-current-password",
      newPassword: "a-brand-new-long-passphrase-42",
      confirmPassword: "a-brand-new-long-passphrase-42",
    });
    // Refused by the password check (wrong current password), not by the gate.
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(REFUSED);
  });

  it("leaves sign-out everywhere open", async () => {
    const user = await makeUser(db, { mustChangePassword: true });
    await actAs(state, user);
    // Success ends in signOut()'s redirect (control flow, rethrown by the wrapper).
    await expect(signOutEverywhereAction({})).rejects.toThrow(/NEXT_REDIRECT/);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.sessionVersion).toBe(user.sessionVersion + 1);
  });
});

describe("mustChangePassword in authorizeRequest (the audit CSV export)", () => {
  it("refuses an admin with a one-time password, audited; allowed once changed", async () => {
    const admin = await makeUser(db, { role: "ADMIN", mustChangePassword: true });
    const requestId = `req-mcp-export-${admin.id}`;
    await actAs(state, admin, { requestId });
    const denied = await authorizeRequest(
      "audit.export",
      "audit:export",
      await getRequestContext(),
    );
    expect("refusal" in denied && denied.refusal).toBeInstanceOf(PasswordChangeRequiredError);
    const [refusal] = await refusalsOf(requestId);
    expect(refusal).toMatchObject({ action: "audit.export", actorId: admin.id });
    expect(refusal?.metadata).toMatchObject({ reason: "password_change_required" });

    await db.user.update({ where: { id: admin.id }, data: { mustChangePassword: false } });
    await actAs(state, admin);
    const allowed = await authorizeRequest(
      "audit.export",
      "audit:export",
      await getRequestContext(),
    );
    expect("user" in allowed && allowed.user.id).toBe(admin.id);
  });
});
