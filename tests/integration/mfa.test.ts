import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { encode } from "next-auth/jwt";
import { contextFor, factoryTotp, makeCategory, makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Two-factor authentication against the real database: the code checks (windows, replay,
// recovery codes once), the sign-in's second step, and the admin reset. Only next/headers and
// next/cache (which exist only inside a Next request) are stood in for.

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { encryptSecret, decryptSecret, MfaSecretDecryptError } =
  await import("@/lib/auth/mfa/crypto");
const { checkCode } = await import("@/lib/auth/mfa/verify");
const { totpCode, stepAt, generateTotpSecret } = await import("@/lib/auth/mfa/totp");
const { authenticate } = await import("@/lib/auth/sign-in");
const { completeMfaSignIn, MfaRequiredError } = await import("@/lib/auth/mfa/sign-in");
const { issueMfaPendingToken, MFA_PENDING_SALT } = await import("@/lib/auth/mfa/pending-token");
const { confirmEnrollment, startEnrollment } = await import("@/lib/auth/mfa/service");
const { hashRecoveryCode, generateRecoveryCodes } = await import("@/lib/auth/mfa/recovery");
const { rateLimitStore } = await import("@/lib/rate-limit");
const { storeKey } = await import("@/lib/rate-limit/limiter");
const { resetUserMfa } = await import("@/lib/users/admin-service");
const { confirmPassword } = await import("@/lib/auth/reauth");
const { REAUTH_REQUIRED_MESSAGE } = await import("@/lib/auth/reauth");

const db = createTestDb();
const context = { ip: "203.0.113.7", userAgent: "vitest", requestId: "req-mfa-test" };
const key = Buffer.from(process.env.MFA_ENCRYPTION_KEY!, "base64");
const STEP = 30_000;

afterAll(() => db.$disconnect());
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});

async function clearThrottle(userId: string) {
  await rateLimitStore().delete(storeKey("mfa-code", userId));
}

/** The pending token of a right password (what the form holds between the two steps). */
async function passwordStep(user: { email: string; password: string }): Promise<string> {
  try {
    await authenticate({ email: user.email, password: user.password }, context);
  } catch (error) {
    if (error instanceof MfaRequiredError) return error.mfaToken;
    throw error;
  }
  throw new Error("expected the password step to ask for a code");
}

function events(userId: string) {
  return db.auditEvent.findMany({
    where: { action: "auth.sign_in", entityId: userId },
    orderBy: { id: "asc" },
    select: { outcome: true, metadata: true },
  });
}

describe("secret encryption (AES-256-GCM)", () => {
  it("round-trips, never stores the secret in clear, and detects any change", () => {
    const secret = generateTotpSecret();
    const stored = encryptSecret(secret, key);
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(secret);
    expect(encryptSecret(secret, key)).not.toBe(stored); // a fresh IV each time
    expect(decryptSecret(stored, key)).toBe(secret);
    const parts = stored.split(":");
    const flipped = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    for (const i of [1, 2, 3]) {
      const tampered = parts.map((p, j) => (j === i ? flipped(p) : p)).join(":");
      expect(() => decryptSecret(tampered, key)).toThrow(MfaSecretDecryptError);
    }
    expect(() => decryptSecret(stored, Buffer.alloc(32, 7))).toThrow(MfaSecretDecryptError);
  });
});

describe("TOTP codes", () => {
  it("accepts the current step and one either side, refuses two steps away", async () => {
    const now = Date.now();
    const results: Record<string, string> = {};
    for (const offset of [-2, -1, 0, 1, 2]) {
      const user = await makeUser(db, { role: "TECHNICIAN" });
      const code = totpCode(user.mfaSecret!, now + offset * STEP);
      const check = await checkCode(db, user.id, code, { allowRecovery: false, nowMs: now });
      results[offset] = check.ok ? "ok" : check.reason;
    }
    expect(results).toEqual({ "-2": "wrong_code", "-1": "ok", 0: "ok", 1: "ok", 2: "wrong_code" });
  });

  it("never accepts the same code twice, nor an older step after a newer one", async () => {
    const user = await makeUser(db, { role: "ADMIN" });
    const now = Date.now();
    const code = totpCode(user.mfaSecret!, now);
    expect(await checkCode(db, user.id, code, { allowRecovery: false, nowMs: now })).toEqual({
      ok: true,
      factor: "totp",
    });
    expect(await checkCode(db, user.id, code, { allowRecovery: false, nowMs: now })).toEqual({
      ok: false,
      reason: "replayed_code",
    });
    const later = await makeUser(db, { role: "ADMIN" });
    const next = totpCode(later.mfaSecret!, now + STEP);
    const previous = totpCode(later.mfaSecret!, now - STEP);
    expect((await checkCode(db, later.id, next, { allowRecovery: false, nowMs: now })).ok).toBe(
      true,
    );
    expect(await checkCode(db, later.id, previous, { allowRecovery: false, nowMs: now })).toEqual({
      ok: false,
      reason: "replayed_code",
    });
    const row = await db.user.findUniqueOrThrow({ where: { id: later.id } });
    expect(row.mfaLastStep).toBe(stepAt(now) + 1);
  });

  it("accepts one of two concurrent uses of the same code", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN" });
    const code = factoryTotp(user);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => checkCode(db, user.id, code, { allowRecovery: false })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe("recovery codes", () => {
  it("enrollment issues 10 distinct codes, stored only as sha256, each working exactly once", async () => {
    const user = await makeUser(db, { role: "USER" });
    const ctx = contextFor(user, { request: context });
    const { secret } = await startEnrollment(ctx);
    const pending = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { mfaPendingSecret: true, mfaEnabledAt: true },
    });
    expect(pending.mfaEnabledAt).toBeNull();
    expect(pending.mfaPendingSecret).not.toContain(secret);
    await expect(
      confirmEnrollment(ctx, { code: "000000", password: user.password }),
    ).rejects.toThrow(/not right/);
    const { recoveryCodes } = await confirmEnrollment(ctx, {
      code: totpCode(secret),
      password: user.password,
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const stored = await db.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((s) => s.codeHash).sort()).toEqual(
      recoveryCodes.map((c) => hashRecoveryCode(c)).sort(),
    );
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!.replace("-", ""));

    const [first] = recoveryCodes;
    expect(await checkCode(db, user.id, first!.toUpperCase(), { allowRecovery: true })).toEqual({
      ok: true,
      factor: "recovery",
    });
    expect(await checkCode(db, user.id, first!, { allowRecovery: true })).toEqual({
      ok: false,
      reason: "replayed_code",
    });
    // Not where only an app code is accepted (changes to one's own MFA).
    expect((await checkCode(db, user.id, recoveryCodes[1]!, { allowRecovery: false })).ok).toBe(
      false,
    );
  });

  it("exactly one of 5 concurrent sign-ins with the same recovery code succeeds", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN" });
    const [code] = generateRecoveryCodes(1);
    await db.mfaRecoveryCode.create({
      data: { userId: user.id, codeHash: hashRecoveryCode(code!) },
    });
    const token = await passwordStep(user);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => completeMfaSignIn({ mfaToken: token, code }, context)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const used = await db.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(used.map((u) => u.usedAt !== null)).toEqual([true]);
  });
});

describe("the sign-in's second step", () => {
  it("a right password on an MFA account returns no user but a token; the code completes it", async () => {
    const user = await makeUser(db, { role: "ADMIN" });
    const token = await passwordStep(user);
    expect(token).not.toContain(user.id);
    const signedIn = await completeMfaSignIn({ mfaToken: token, code: factoryTotp(user) }, context);
    expect(signedIn).toMatchObject({ id: user.id, role: "ADMIN", sessionVersion: 1 });
    expect(
      (await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt,
    ).not.toBeNull();
    expect((await events(user.id)).map((e) => [e.outcome, e.metadata])).toEqual([
      ["SUCCESS", { step: "password", next: "mfa" }],
      ["SUCCESS", { step: "mfa", factor: "totp" }],
    ]);
  });

  it("users without MFA sign in with the password alone, as before", async () => {
    const user = await makeUser(db);
    expect(
      await authenticate({ email: user.email, password: user.password }, context),
    ).toMatchObject({ id: user.id });
  });

  it("throttles wrong codes per account, before any code is checked", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN" });
    await clearThrottle(user.id);
    const token = await passwordStep(user);
    for (let i = 0; i < 5; i++) {
      await expect(
        completeMfaSignIn({ mfaToken: token, code: "000000" }, context),
      ).rejects.toMatchObject({ code: "mfa_wrong_code" });
    }
    // The right code is refused too: nothing is compared once the allowance is spent.
    const refused = completeMfaSignIn({ mfaToken: token, code: factoryTotp(user) }, context);
    await expect(refused).rejects.toMatchObject({
      code: expect.stringMatching(/^rate_limited_\d+$/),
    });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mfaLastStep).toBeNull(); // the right code was never checked
    const last = (await events(user.id)).at(-1)!;
    expect(last.outcome).toBe("REFUSED");
    expect(last.metadata).toMatchObject({ step: "mfa", reason: "rate_limited" });
    await clearThrottle(user.id);
    expect(
      await completeMfaSignIn({ mfaToken: token, code: factoryTotp(user) }, context),
    ).toMatchObject({
      id: user.id,
    });
  });

  it("refuses an expired, tampered or foreign token", async () => {
    const user = await makeUser(db, { role: "ADMIN" });
    const code = factoryTotp(user);
    const expired = await encode({
      token: { uid: user.id, sv: 1, purpose: "mfa" },
      secret: process.env.AUTH_SECRET!,
      salt: MFA_PENDING_SALT,
      maxAge: -60,
    });
    const good = await issueMfaPendingToken({ id: user.id, sessionVersion: 1 });
    const tampered = good.slice(0, -6) + (good.at(-6) === "A" ? "B" : "A") + good.slice(-5);
    // A session cookie is not a pending token (different salt).
    const session = await encode({
      token: { uid: user.id, sv: 1, purpose: "mfa" },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    });
    for (const mfaToken of [expired, tampered, session, "junk"]) {
      await expect(completeMfaSignIn({ mfaToken, code }, context)).rejects.toMatchObject({
        code: "mfa_expired",
      });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).mfaLastStep).toBeNull();
  });

  it("refuses when the account was deactivated or its sessions revoked between the steps", async () => {
    for (const change of [{ active: false }, { sessionVersion: { increment: 1 } }]) {
      const user = await makeUser(db, { role: "TECHNICIAN" });
      const token = await passwordStep(user);
      await db.user.update({ where: { id: user.id }, data: change });
      await expect(
        completeMfaSignIn({ mfaToken: token, code: factoryTotp(user) }, context),
      ).rejects.toMatchObject({ code: "mfa_expired" });
    }
  });
});

describe("staff without MFA", () => {
  it("are refused every action but their own account's, audited; users are unaffected", async () => {
    const tickets = await import("@/lib/tickets/actions");
    const mfa = await import("@/lib/auth/mfa/actions");
    const category = await makeCategory(db);
    const tech = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    const requestId = `req-mfa-refused-${crypto.randomUUID()}`;
    await actAs(state as RequestState, tech, { requestId });
    const refused = await tickets.createTicketAction({
      title: "Printer on fire",
      description: "Really.",
      categoryId: category.id,
    });
    expect(refused).toMatchObject({ ok: false, formError: expect.stringMatching(/two-factor/) });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { requestId } });
    expect(audit).toMatchObject({
      actorId: tech.id,
      action: "ticket.create",
      outcome: "REFUSED",
      metadata: { reason: "mfa_enrollment_required" },
    });
    expect(await db.ticket.count({ where: { requesterId: tech.id } })).toBe(0);

    // Their own account: setting up MFA works, and then so does everything else.
    await actAs(state as RequestState, tech);
    expect(await mfa.startMfaEnrollmentAction({})).toEqual({ ok: true, data: null });
    const { mfaPendingSecret } = await db.user.findUniqueOrThrow({
      where: { id: tech.id },
      select: { mfaPendingSecret: true },
    });
    const secret = decryptSecret(mfaPendingSecret!, key);
    const enabled = await mfa.confirmMfaEnrollmentAction({
      code: totpCode(secret),
      password: tech.password,
    });
    expect(enabled.ok).toBe(true);
    // Turning MFA on ended the other sessions: this browser holds the re-issued token.
    await actAs(state as RequestState, tech, { sv: tech.sessionVersion + 1 });
    const created = await tickets.createTicketAction({
      title: "Printer on fire",
      description: "Really.",
      categoryId: category.id,
    });
    expect(created.ok).toBe(true);

    const user = await makeUser(db);
    await actAs(state as RequestState, user);
    expect(
      (
        await tickets.createTicketAction({
          title: "Mouse",
          description: "Broken.",
          categoryId: category.id,
        })
      ).ok,
    ).toBe(true);
  });

  it("staff may not turn MFA off while it is required; users may, with a current code", async () => {
    const mfa = await import("@/lib/auth/mfa/actions");
    const tech = await makeUser(db, { role: "TECHNICIAN" });
    await actAs(state as RequestState, tech);
    expect(await mfa.disableMfaAction({ code: factoryTotp(tech) })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/required for your role/),
    });
    const user = await makeUser(db, { mfa: true });
    await actAs(state as RequestState, user);
    expect((await mfa.disableMfaAction({ code: "123456" })).ok).toBe(false);
    expect(await mfa.disableMfaAction({ code: factoryTotp(user) })).toEqual({
      ok: true,
      data: null,
    });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mfaEnabledAt).toBeNull();
  });
});

describe("admin MFA reset", () => {
  it("needs a fresh confirmation, is refused to technicians and users, audited, and ends sessions", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db, { role: "TECHNICIAN" });
    const ctx = contextFor(admin, { request: context });
    await expect(resetUserMfa(ctx, { userId: target.id })).rejects.toThrow(REAUTH_REQUIRED_MESSAGE);
    for (const role of ["TECHNICIAN", "USER"] as const) {
      const other = await makeUser(db, { role });
      await expect(
        resetUserMfa(contextFor(other, { request: context }), { userId: target.id }),
      ).rejects.toThrow(/not allowed/);
    }
    const { token } = await confirmPassword(ctx, { password: admin.password });
    expect(await resetUserMfa({ ...ctx, reauthToken: token }, { userId: target.id })).toEqual({
      changed: true,
    });
    const row = await db.user.findUniqueOrThrow({
      where: { id: target.id },
      select: { mfaEnabledAt: true, mfaSecret: true, sessionVersion: true },
    });
    expect(row).toEqual({ mfaEnabledAt: null, mfaSecret: null, sessionVersion: 2 });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.mfa_reset", entityId: target.id },
    });
    expect(audit).toMatchObject({
      actorId: admin.id,
      outcome: "SUCCESS",
      before: { mfaEnabled: true, sessionVersion: 1 },
      after: { mfaEnabled: false, sessionVersion: 2 },
    });
  });
});
