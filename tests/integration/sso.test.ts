import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import { uniqueSuffix } from "@/prisma/factories";
import type { SsoIdentity } from "@/lib/auth/sso/claims";

// Single sign-on's account rules on real PostgreSQL (docs/decisions/029-single-sign-on.md):
// (issuer, subject) first; a first sign-in links an existing PERSON account only by an email the
// provider marks verified; otherwise just-in-time creation when on; the role follows the groups
// at every sign-in (a change bumps sessionVersion and is audited on the SSO channel); inactive
// and service accounts are refused.
const { completeSsoSignIn } = await import("@/lib/auth/sso/sign-in");
const { verifyPassword } = await import("@/lib/auth/password");

const db = createTestDb();
afterAll(() => db.$disconnect());

const ISSUER = "https://idp.integration.test";
const settings = (jit: boolean) => ({
  jit,
  adminGroups: ["admins"],
  technicianGroups: ["techs"],
});
const context = { ip: "203.0.113.9", userAgent: "vitest", requestId: "sso-test" };

function identity(overrides: Partial<SsoIdentity> = {}): SsoIdentity {
  const s = uniqueSuffix();
  return {
    issuer: ISSUER,
    subject: `sub-${s}`,
    email: `sso-${s}@corp.test`,
    emailVerified: true,
    name: `SSO Person ${s}`,
    groups: [],
    ...overrides,
  };
}

async function refusals(subject: string) {
  return db.auditEvent.findMany({
    where: {
      action: "auth.sign_in",
      outcome: "REFUSED",
      metadata: { path: ["subject"], equals: subject },
    },
  });
}

describe("linking a first sign-in", () => {
  it("links an existing person by a verified email, then finds them by (issuer, subject)", async () => {
    const user = await makeUser(db, { role: "USER", mfa: false });
    const who = identity({ email: user.email, groups: ["techs"] });
    const first = await completeSsoSignIn(who, settings(false), context);
    expect(first).toMatchObject({ ok: true, linked: true, created: false });
    expect(first.ok && first.user.id).toBe(user.id);
    expect(first.ok && first.user.role).toBe("TECHNICIAN");
    const accounts = await db.account.findMany({ where: { userId: user.id } });
    expect(accounts).toEqual([
      expect.objectContaining({ provider: ISSUER, providerAccountId: who.subject, type: "oidc" }),
    ]);
    // Next time the email may have changed at the provider: the subject still finds the account.
    const again = await completeSsoSignIn(
      { ...who, email: "renamed@corp.test" },
      settings(false),
      context,
    );
    expect(again).toMatchObject({ ok: true, linked: false });
    expect(again.ok && again.user.id).toBe(user.id);
  });

  it("does not link by an unverified email (and does not create a second account)", async () => {
    const user = await makeUser(db, { role: "USER", mfa: false });
    const who = identity({ email: user.email, emailVerified: false });
    expect(await completeSsoSignIn(who, settings(true), context)).toEqual({
      ok: false,
      reason: "email_unverified",
    });
    expect(await db.account.count({ where: { userId: user.id } })).toBe(0);
    expect(await refusals(who.subject)).toHaveLength(1);
  });

  it("the same subject from another issuer is another person", async () => {
    const user = await makeUser(db, { role: "USER", mfa: false });
    const who = identity({ email: user.email });
    await completeSsoSignIn(who, settings(false), context);
    const other = await completeSsoSignIn(
      { ...who, issuer: "https://evil.test", email: `x-${uniqueSuffix()}@corp.test` },
      settings(false),
      context,
    );
    expect(other).toEqual({ ok: false, reason: "no_account" });
  });

  it("never links a service account", async () => {
    const user = await makeUser(db, { role: "USER", mfa: false });
    await db.user.update({ where: { id: user.id }, data: { kind: "SERVICE" } });
    const who = identity({ email: user.email });
    expect(await completeSsoSignIn(who, settings(true), context)).toEqual({
      ok: false,
      reason: "service_account",
    });
  });
});

describe("just-in-time accounts", () => {
  it("off: an unknown person is refused and audited", async () => {
    const who = identity();
    expect(await completeSsoSignIn(who, settings(false), context)).toEqual({
      ok: false,
      reason: "no_account",
    });
    expect(await db.user.findUnique({ where: { email: who.email! } })).toBeNull();
    const [refusal] = await refusals(who.subject);
    expect(refusal?.metadata).toMatchObject({ method: "oidc", reason: "no_account" });
    expect(refusal?.channel).toBe("sso");
  });

  it("on: creates a PERSON with the mapped role and a password nobody knows", async () => {
    const who = identity({ groups: ["admins"] });
    const outcome = await completeSsoSignIn(who, settings(true), context);
    expect(outcome).toMatchObject({ ok: true, created: true });
    const row = await db.user.findUniqueOrThrow({
      where: { email: who.email! },
      omit: { passwordHash: false },
    });
    expect(row).toMatchObject({ role: "ADMIN", kind: "PERSON", active: true, name: who.name });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(await verifyPassword("", row.passwordHash)).toBe(false);
    const created = await db.auditEvent.findFirst({
      where: { action: "user.create", entityId: row.id },
    });
    expect(created?.metadata).toMatchObject({ via: "sso", issuer: ISSUER });
  });

  it("on: no email, or an unverified one, creates nothing", async () => {
    expect(await completeSsoSignIn(identity({ email: null }), settings(true), context)).toEqual({
      ok: false,
      reason: "no_email",
    });
    const who = identity({ emailVerified: false });
    expect(await completeSsoSignIn(who, settings(true), context)).toEqual({
      ok: false,
      reason: "email_unverified",
    });
    expect(await db.user.findUnique({ where: { email: who.email! } })).toBeNull();
  });
});

describe("the role at every sign-in", () => {
  it("follows the groups both ways, ends old sessions and audits the change on the SSO channel", async () => {
    const who = identity({ groups: [] });
    const first = await completeSsoSignIn(who, settings(true), context);
    if (!first.ok) throw new Error("expected a sign-in");
    expect(first.user.role).toBe("USER");
    const promoted = await completeSsoSignIn(
      { ...who, groups: ["admins"] },
      settings(true),
      context,
    );
    if (!promoted.ok) throw new Error("expected a sign-in");
    expect(promoted.user.role).toBe("ADMIN");
    expect(promoted.user.sessionVersion).toBe(first.user.sessionVersion + 1);
    const demoted = await completeSsoSignIn({ ...who, groups: ["techs"] }, settings(true), context);
    if (!demoted.ok) throw new Error("expected a sign-in");
    expect(demoted.user.role).toBe("TECHNICIAN");
    expect(demoted.user.sessionVersion).toBe(first.user.sessionVersion + 2);
    const changes = await db.auditEvent.findMany({
      where: { action: "user.role_change", entityId: first.user.id },
      orderBy: { id: "asc" },
    });
    expect(changes.map((c) => [c.before, c.after, c.channel])).toEqual([
      [
        { role: "USER", sessionVersion: first.user.sessionVersion },
        { role: "ADMIN", sessionVersion: first.user.sessionVersion + 1 },
        "sso",
      ],
      [
        { role: "ADMIN", sessionVersion: first.user.sessionVersion + 1 },
        { role: "TECHNICIAN", sessionVersion: first.user.sessionVersion + 2 },
        "sso",
      ],
    ]);
    // The same groups again: no change, no new version.
    const same = await completeSsoSignIn({ ...who, groups: ["techs"] }, settings(true), context);
    expect(same.ok && same.user.sessionVersion).toBe(first.user.sessionVersion + 2);
  });

  it("refuses a deactivated account (and changes nothing)", async () => {
    const user = await makeUser(db, { role: "USER", mfa: false, active: false });
    const who = identity({ email: user.email, groups: ["admins"] });
    expect(await completeSsoSignIn(who, settings(false), context)).toEqual({
      ok: false,
      reason: "deactivated",
    });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.role).toBe("USER");
    // Rolled back with the refusal: not linked either.
    expect(await db.account.count({ where: { userId: user.id } })).toBe(0);
  });

  it("audits the sign-in with method oidc", async () => {
    const who = identity();
    const outcome = await completeSsoSignIn(who, settings(true), context);
    if (!outcome.ok) throw new Error("expected a sign-in");
    const event = await db.auditEvent.findFirst({
      where: { action: "auth.sign_in", outcome: "SUCCESS", actorId: outcome.user.id },
    });
    expect(event?.metadata).toMatchObject({ method: "oidc", issuer: ISSUER, subject: who.subject });
    expect(event?.channel).toBe("sso");
  });
});
