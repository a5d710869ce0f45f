import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { confirmedFor } from "@/tests/support/admin";
import {
  contextFor,
  makeActor,
  makeCategory,
  makeUser,
  uniqueSuffix,
} from "@/tests/support/factories";
import { uniqueIp } from "@/tests/support/rate-limit";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Personal access tokens and service accounts (issue 16 §2, ADR 025) on the real database:
// creation (shown once, only the hash stored, scopes within the role, a cap), the per-request
// check of authenticateApiToken (revoked, expired, deactivated or demoted owner, password change
// or MFA enrollment due), the revocation a demotion brings, service accounts (tokens without MFA,
// never a password sign-in or reset), and that nobody but the owner or an admin revokes a token.

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actions = await import("@/lib/api-tokens/actions");
const { authenticateApiToken } = await import("@/lib/api-tokens/authenticate");
const { hashToken } = await import("@/lib/api-tokens/format");
const { createToken, revokeToken, createServiceToken } = await import("@/lib/api-tokens/service");
const { listTokens } = await import("@/lib/api-tokens/queries");
const { ACTIVE_TOKENS_MAX } = await import("@/lib/api-tokens/schemas");
const { changeUserRole, createServiceAccount, resetUserPassword, setUserActive } =
  await import("@/lib/users/admin-service");
const { authenticate } = await import("@/lib/auth/sign-in");
const { sendResetLink } = await import("@/lib/auth/password-reset");
const { hashPassword } = await import("@/lib/auth/password");
const { NotFoundError, ValidationError } = await import("@/lib/errors");

const db = createTestDb();
afterAll(() => db.$disconnect());

type Actor = Awaited<ReturnType<typeof makeActor>>;
const bearer = (token: string) => `Bearer ${token}`;
const input = (scopes: string[], expiresIn = "90") =>
  ({ name: `[it] token ${uniqueSuffix()}`, scopes, expiresIn }) as Parameters<
    typeof createToken
  >[1];
const auth = (token: string, ip = "192.0.2.10", now?: Date) =>
  authenticateApiToken(bearer(token), ip, now);
const refusal = async (token: string) => {
  const result = await auth(token);
  return result.ok ? "accepted" : result.reason;
};

async function adminCtx(): Promise<Actor> {
  const admin = await makeActor(db, "ADMIN");
  return { ...admin, reauthToken: await confirmedFor(db, admin.actor) };
}

describe("creating a token", () => {
  it("returns the token once, stores only its hash, authenticates, and audits without it", async () => {
    const tech = await makeActor(db, "TECHNICIAN");
    const created = await createToken(tech, input(["tickets:read", "tickets:write"]));
    expect(created.token).toMatch(/^tsr_pat_[0-9A-Za-z]{36}$/);
    expect(created.prefix).toBe(created.token.slice(0, 14));

    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      userId: tech.actor.id,
      createdById: tech.actor.id,
      secretHash: hashToken(created.token),
      scopes: ["tickets:read", "tickets:write"],
      revokedAt: null,
    });
    const days = (row.expiresAt!.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(90, 1);
    expect(JSON.stringify(row)).not.toContain(created.token);

    const result = await auth(created.token, "198.51.100.4");
    expect(result).toMatchObject({
      ok: true,
      principal: {
        user: { id: tech.actor.id, role: "TECHNICIAN", kind: "PERSON" },
        token: { id: created.id, scopes: ["tickets:read", "tickets:write"] },
        channel: `api:${created.id}`,
      },
    });

    const events = await db.auditEvent.findMany({
      where: { entityType: "ApiToken", entityId: created.id },
    });
    expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["apitoken.create", "SUCCESS", tech.actor.id],
    ]);
    const text = JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(row.secretHash);
    expect(events[0]!.after).toMatchObject({ prefix: created.prefix, ownerId: tech.actor.id });
  });

  it("refuses scopes beyond the role with a field error, through the action", async () => {
    const user = await makeActor(db, "USER");
    await actAs(state, user.actor);
    const refused = await actions.createApiTokenAction({
      name: "too much",
      scopes: ["tickets:read", "users:write", "audit:read"],
      expiresIn: "30",
    });
    expect(refused).toMatchObject({
      ok: false,
      fieldErrors: { scopes: [expect.stringMatching(/users:write, audit:read/)] },
    });
    expect(await db.apiToken.count({ where: { userId: user.actor.id } })).toBe(0);

    await actAs(state, user.actor);
    const ok = await actions.createApiTokenAction({
      name: "mine",
      scopes: ["tickets:read", "categories:read"],
      expiresIn: "never",
    });
    expect(ok).toMatchObject({ ok: true, data: { token: expect.stringMatching(/^tsr_pat_/) } });
    const listed = await listTokens(user.actor);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: "mine", expiresAt: null });
    expect(Object.keys(listed[0]!)).not.toContain("secretHash");
  });

  it("needs a fresh password confirmation for a token that manages users", async () => {
    const admin = await makeActor(db, "ADMIN");
    await expect(createToken(admin, input(["users:read", "users:write"]))).rejects.toThrow(
      /Confirm your password first/,
    );
    expect(await db.apiToken.count({ where: { userId: admin.actor.id } })).toBe(0);
    // Reading users, or the rest, needs none; with a confirmation the "Manage users" one is made.
    await expect(createToken(admin, input(["users:read", "audit:read"]))).resolves.toBeTruthy();
    const confirmed = { ...admin, reauthToken: await confirmedFor(db, admin.actor) };
    const made = await createToken(confirmed, input(["users:write"]));
    expect(made.scopes).toEqual(["users:write"]);
  });

  it(`caps an account at ${ACTIVE_TOKENS_MAX} active tokens; revoked and expired ones do not count`, async () => {
    const user = await makeActor(db, "USER");
    const past = new Date(Date.now() - 1000);
    await db.apiToken.createMany({
      data: Array.from({ length: ACTIVE_TOKENS_MAX + 2 }, (_, i) => ({
        userId: user.actor.id,
        name: `bulk ${i}`,
        prefix: "tsr_pat_bulk00",
        secretHash: hashToken(`bulk-${user.actor.id}-${i}`),
        scopes: ["tickets:read"],
        // Two that no longer count: one revoked, one expired.
        revokedAt: i === 0 ? past : null,
        expiresAt: i === 1 ? past : null,
      })),
    });
    await expect(createToken(user, input(["tickets:read"]))).rejects.toThrow(
      new RegExp(`${ACTIVE_TOKENS_MAX} active tokens at most`),
    );
    const [one] = await db.apiToken.findMany({
      where: { userId: user.actor.id, revokedAt: null, expiresAt: null },
      take: 1,
    });
    await revokeToken(user, { tokenId: one!.id });
    await expect(createToken(user, input(["tickets:read"]))).resolves.toMatchObject({
      token: expect.any(String),
    });
  });
});

describe("the per-request check", () => {
  it("refuses a revoked, an expired, a malformed and an unknown token", async () => {
    const user = await makeActor(db, "USER");
    const revoked = await createToken(user, input(["tickets:read"]));
    expect(await revokeToken(user, { tokenId: revoked.id })).toEqual({ changed: true });
    expect(await revokeToken(user, { tokenId: revoked.id })).toEqual({ changed: false });
    expect(await refusal(revoked.token)).toBe("revoked");

    const week = await createToken(user, input(["tickets:read"], "7"));
    const later = new Date(Date.now() + 7 * 86_400_000 + 60_000);
    expect((await auth(week.token)).ok).toBe(true);
    expect(await auth(week.token, "192.0.2.10", later)).toEqual({ ok: false, reason: "expired" });

    const typo = `${week.token.slice(0, -1)}${week.token.endsWith("A") ? "B" : "A"}`;
    expect(await refusal(typo)).toBe("malformed");
    const { generateToken } = await import("@/lib/api-tokens/format");
    expect(await refusal(generateToken())).toBe("unknown");
    expect(await authenticateApiToken(null, null)).toEqual({ ok: false, reason: "missing" });
    expect(await authenticateApiToken(`Basic ${week.token}`, null)).toEqual({
      ok: false,
      reason: "missing",
    });
  });

  it("refuses a deactivated owner's token at once, and a reactivation does not revive it", async () => {
    const admin = await adminCtx();
    const user = await makeActor(db, "USER");
    const created = await createToken(user, input(["tickets:read"]));
    await db.user.update({ where: { id: user.actor.id }, data: { active: false } });
    expect(await refusal(created.token)).toBe("owner_inactive");
    await db.user.update({ where: { id: user.actor.id }, data: { active: true } });
    expect(await refusal(created.token)).toBe("accepted");

    // Through the admin's deactivation: revoked in its transaction, audited.
    await setUserActive(admin, { userId: user.actor.id, active: false });
    await setUserActive(admin, { userId: user.actor.id, active: true });
    expect(await refusal(created.token)).toBe("revoked");
    const [event] = await db.auditEvent.findMany({
      where: { action: "apitoken.revoke", entityId: created.id },
    });
    expect(event).toMatchObject({ actorId: admin.actor.id, metadata: { reason: "deactivation" } });
  });

  it("stops a demoted owner's token at the next request, and the demotion revokes it for good", async () => {
    const admin = await adminCtx();
    const tech = await makeActor(db, "ADMIN");
    const broad = await createToken(tech, input(["tickets:read", "users:read", "audit:read"]));
    const narrow = await createToken(tech, input(["tickets:read"]));

    // Demoted behind the service's back: the request-time check alone stops the broad token.
    await db.user.update({ where: { id: tech.actor.id }, data: { role: "TECHNICIAN" } });
    expect(await refusal(broad.token)).toBe("scope_beyond_role");
    expect(await refusal(narrow.token)).toBe("accepted");
    await db.user.update({ where: { id: tech.actor.id }, data: { role: "ADMIN" } });
    expect(await refusal(broad.token)).toBe("accepted");

    // Demoted by an admin: the broad token is revoked in the same transaction, audited; the
    // narrow one stays; promoting back does not revive the broad one.
    await changeUserRole(admin, { userId: tech.actor.id, role: "TECHNICIAN" });
    const rows = await db.apiToken.findMany({
      where: { id: { in: [broad.id, narrow.id] } },
      select: { id: true, revokedAt: true },
    });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.revokedAt !== null]))).toEqual({
      [broad.id]: true,
      [narrow.id]: false,
    });
    const [event] = await db.auditEvent.findMany({
      where: { action: "apitoken.revoke", entityId: broad.id },
    });
    expect(event).toMatchObject({
      actorId: admin.actor.id,
      outcome: "SUCCESS",
      metadata: { reason: "role_change", from: "ADMIN", to: "TECHNICIAN" },
    });
    await changeUserRole(
      { ...admin, reauthToken: await confirmedFor(db, admin.actor) },
      { userId: tech.actor.id, role: "ADMIN" },
    );
    expect(await refusal(broad.token)).toBe("revoked");
    expect(await refusal(narrow.token)).toBe("accepted");
  });

  it("refuses a person's token while a password change or MFA enrollment is due", async () => {
    const user = await makeActor(db, "USER");
    const token = (await createToken(user, input(["tickets:read"]))).token;
    await db.user.update({ where: { id: user.actor.id }, data: { mustChangePassword: true } });
    expect(await refusal(token)).toBe("password_change_required");

    const tech = await makeActor(db, "TECHNICIAN");
    const techToken = (await createToken(tech, input(["tickets:read"]))).token;
    expect(await refusal(techToken)).toBe("accepted");
    await db.user.update({ where: { id: tech.actor.id }, data: { mfaEnabledAt: null } });
    expect(await refusal(techToken)).toBe("mfa_enrollment_required");
  });

  it("records the last use (time and address) at most once a minute per address", async () => {
    const user = await makeActor(db, "USER");
    const created = await createToken(user, input(["tickets:read"]));
    const lastUse = async () =>
      db.apiToken.findUniqueOrThrow({
        where: { id: created.id },
        select: { lastUsedAt: true, lastUsedIp: true },
      });
    expect(await lastUse()).toEqual({ lastUsedAt: null, lastUsedIp: null });
    const t0 = new Date(Date.now() + 1000);
    await auth(created.token, "192.0.2.1", t0);
    expect(await lastUse()).toEqual({ lastUsedAt: t0, lastUsedIp: "192.0.2.1" });
    await auth(created.token, "192.0.2.1", new Date(t0.getTime() + 59_000));
    expect(await lastUse()).toEqual({ lastUsedAt: t0, lastUsedIp: "192.0.2.1" });
    const t1 = new Date(t0.getTime() + 60_000);
    await auth(created.token, "192.0.2.1", t1);
    expect(await lastUse()).toEqual({ lastUsedAt: t1, lastUsedIp: "192.0.2.1" });
    const t2 = new Date(t1.getTime() + 1000);
    await auth(created.token, "192.0.2.99", t2);
    expect(await lastUse()).toEqual({ lastUsedAt: t2, lastUsedIp: "192.0.2.99" });
  });
});

describe("revoking someone else's token", () => {
  it("is 'not found' for a non-admin (audited) and allowed to an admin", async () => {
    const owner = await makeActor(db, "USER");
    const other = await makeActor(db, "TECHNICIAN");
    const created = await createToken(owner, input(["tickets:read"]));
    await expect(revokeToken(other, { tokenId: created.id })).rejects.toThrow(NotFoundError);
    await expect(revokeToken(other, { tokenId: "no-such-token" })).rejects.toThrow(NotFoundError);
    await expect(listTokens(other.actor, owner.actor.id)).rejects.toThrow();
    expect(await refusal(created.token)).toBe("accepted");
    const refused = await db.auditEvent.findMany({
      where: { action: "apitoken.revoke", entityId: created.id, outcome: "REFUSED" },
    });
    expect(refused.map((e) => [e.actorId, (e.metadata as { reason: string }).reason])).toEqual([
      [other.actor.id, "not_visible"],
    ]);

    const admin = await makeActor(db, "ADMIN");
    expect((await listTokens(admin.actor, owner.actor.id)).map((t) => t.id)).toEqual([created.id]);
    expect(await revokeToken(admin, { tokenId: created.id })).toEqual({ changed: true });
    expect(await refusal(created.token)).toBe("revoked");
  });

  it("refuses the action's non-admin caller with 'not found', through the wrapper", async () => {
    const owner = await makeActor(db, "USER");
    const created = await createToken(owner, input(["tickets:read"]));
    const other = await makeUser(db, { role: "USER" });
    await actAs(state, other);
    expect(await actions.revokeApiTokenAction({ tokenId: created.id })).toMatchObject({
      ok: false,
      formError: "Token not found.",
    });
    await actAs(state, owner.actor);
    expect(await actions.revokeApiTokenAction({ tokenId: created.id })).toMatchObject({
      ok: true,
      data: { changed: true },
    });
  });
});

describe("service accounts", () => {
  it("get tokens from an admin, work without MFA, and never sign in with a password", async () => {
    const admin = await adminCtx();
    const { user: svc } = await createServiceAccount(admin, {
      name: `Monitoring ${uniqueSuffix()}`,
      role: "TECHNICIAN",
    });
    const row = await db.user.findUniqueOrThrow({ where: { id: svc.id } });
    expect(row).toMatchObject({ kind: "SERVICE", mfaEnabledAt: null, mustChangePassword: false });
    expect(row.email).toMatch(/^svc-monitoring-[0-9a-z-]+@service\.invalid$/);

    // Scopes within the service account's role; not for a person through this door.
    await expect(
      createServiceToken(admin, { userId: svc.id, ...input(["users:read"]) }),
    ).rejects.toThrow(ValidationError);
    const person = await makeUser(db, { role: "USER" });
    await expect(
      createServiceToken(admin, { userId: person.id, ...input(["tickets:read"]) }),
    ).rejects.toThrow(NotFoundError);
    const created = await createServiceToken(admin, {
      userId: svc.id,
      ...input(["tickets:read", "tickets:write"], "never"),
    });
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      userId: svc.id,
      createdById: admin.actor.id,
      expiresAt: null,
    });
    // A technician without MFA: a person would be refused; the service account is not.
    expect(await auth(created.token)).toMatchObject({
      ok: true,
      principal: { user: { id: svc.id, kind: "SERVICE", role: "TECHNICIAN" } },
    });

    // Even with a password it knows, a service account cannot sign in, and gets no reset mail.
    const password = "a-known-password-for-the-test";
    await db.user.update({
      where: { id: svc.id },
      data: { passwordHash: await hashPassword(password) },
    });
    const ctx = { ip: uniqueIp(), userAgent: "vitest", requestId: `req-${uniqueSuffix()}` };
    expect(await authenticate({ email: svc.email, password }, ctx)).toBeNull();
    const [signIn] = await db.auditEvent.findMany({
      where: { action: "auth.sign_in", entityId: svc.id },
    });
    expect(signIn).toMatchObject({ outcome: "FAILED", metadata: { reason: "service_account" } });
    await sendResetLink(svc.email, ctx);
    expect(await db.passwordResetToken.count({ where: { userId: svc.id } })).toBe(0);
    await expect(resetUserPassword(admin, { userId: svc.id })).rejects.toThrow(ValidationError);
  });

  it("an admin service account needs the admin's fresh confirmation", async () => {
    const admin = await makeActor(db, "ADMIN");
    await expect(
      createServiceAccount(admin, { name: "Root bot", role: "ADMIN" }),
    ).rejects.toThrow();
    const confirmed = { ...admin, reauthToken: await confirmedFor(db, admin.actor) };
    const { user } = await createServiceAccount(confirmed, { name: "Root bot", role: "ADMIN" });
    expect(user.role).toBe("ADMIN");
  });

  it("are never mailed: their sign-in name is under .invalid", async () => {
    const { sealAuditEvents } = await import("@/lib/audit");
    const { emailConfig } = await import("@/lib/email/config");
    const { notifyFromAudit } = await import("@/lib/email/notify");
    const { newTicket } = await import("@/tests/support/tickets");
    // Without SMTP mail is kept, not sent: the queue shows who would have been mailed.
    const config = emailConfig({
      AUTH_URL: "https://help.example.com",
      EMAIL_FROM: "IT <it@example.com>",
    });
    const drain = async () => {
      await sealAuditEvents(db, { wait: true });
      while ((await notifyFromAudit(db, config)).events > 0);
    };
    await drain();
    const admin = await adminCtx();
    const { user: svc } = await createServiceAccount(admin, { name: "Inbox bot", role: "USER" });
    const person = await makeActor(db, "USER");
    const category = await makeCategory(db);
    const bots = await newTicket(contextFor(svc), category.id);
    const persons = await newTicket(person, category.id);
    await drain();
    const mails = (ticketId: string) =>
      db.emailMessage.findMany({ where: { ticketId }, select: { kind: true } });
    expect(await mails(persons.id)).toEqual([{ kind: "ticket_received" }]);
    expect(await mails(bots.id)).toEqual([]);
  });
});
