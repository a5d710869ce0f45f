import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RESET_LINK_INVALID, resetPassword, sendResetLink } from "@/lib/auth/password-reset";
import { verifyPassword } from "@/lib/auth/password";
import { ResetPasswordSchema } from "@/lib/auth/reset-schemas";
import { auditEmailHash } from "@/lib/auth/server-keys";
import { createTestDb } from "@/tests/support/db";
import { makeUser, uniqueSuffix } from "@/tests/support/factories";
import { uniqueIp } from "@/tests/support/rate-limit";

// Issue 14 §2: "forgot password" by email (lib/auth/password-reset.ts).
const db = createTestDb();
afterAll(() => db.$disconnect());

const request = () => ({ ip: uniqueIp(), userAgent: "vitest", requestId: `req-${uniqueSuffix()}` });
const NEW_PASSWORD = "correct horse battery staple 42";

async function resetMails(userId: string) {
  return db.emailMessage.findMany({
    where: { toUserId: userId, kind: "password_reset" },
    orderBy: { id: "asc" },
  });
}
function tokenIn(text: string): string {
  const match = /\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error(`no reset link in:\n${text}`);
  return match[1]!;
}

describe("asking for a link", () => {
  it("mails an active account a single-use link and keeps only the token's hash", async () => {
    const user = await makeUser(db, { role: "USER" });
    await sendResetLink(user.email, request());
    const [mail, ...more] = await resetMails(user.id);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ toAddress: user.email, subject: "Choose a new password" });
    const token = tokenIn(mail!.text);
    expect(mail!.html).toContain(`/reset-password?token=${token}`);
    const [row] = await db.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(row!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const minutes = (row!.expiresAt.getTime() - row!.createdAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(30, 0);
    const [event] = await db.auditEvent.findMany({
      where: { action: "auth.password_reset_request", entityId: user.id },
    });
    expect(event).toMatchObject({ outcome: "SUCCESS", actorId: user.id });
  });

  it("sends nothing for an unknown or inactive address, and audits it without the text", async () => {
    const email = `nobody-${uniqueSuffix()}@example.test`;
    const inactive = await makeUser(db, { role: "USER", active: false });
    const before = await db.emailMessage.count({ where: { kind: "password_reset" } });
    await sendResetLink(email, request());
    await sendResetLink(inactive.email, request());
    expect(await db.passwordResetToken.count({ where: { userId: inactive.id } })).toBe(0);
    expect(await resetMails(inactive.id)).toEqual([]);
    const unknown = await db.auditEvent.findFirst({
      where: {
        action: "auth.password_reset_request",
        metadata: { path: ["emailHash"], equals: auditEmailHash(email) },
      },
    });
    expect(unknown).toMatchObject({ outcome: "FAILED", actorId: null });
    expect(
      JSON.stringify(unknown, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
    ).not.toContain(email);
    // Other tests may queue reset mail meanwhile; none of it went to these two.
    const after = await db.emailMessage.findMany({
      where: { kind: "password_reset" },
      skip: before,
      select: { toAddress: true },
    });
    expect(after.map((m) => m.toAddress)).not.toContain(email);
  });

  it("voids the older link when a new one is asked for, and sends 3 an hour at most", async () => {
    const user = await makeUser(db, { role: "USER" });
    for (let i = 0; i < 5; i++) await sendResetLink(user.email, request());
    const mails = await resetMails(user.id);
    expect(mails).toHaveLength(3);
    const tokens = await db.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(tokens.filter((t) => t.usedAt === null)).toHaveLength(1);
    await expect(
      resetPassword({ token: tokenIn(mails[0]!.text), newPassword: NEW_PASSWORD }, request()),
    ).rejects.toThrow(RESET_LINK_INVALID);
    const refused = await db.auditEvent.count({
      where: { action: "auth.password_reset_request", entityId: user.id, outcome: "REFUSED" },
    });
    expect(refused).toBe(2);
  });
});

describe("choosing the new password", () => {
  it("sets it once, ends every session, keeps MFA, and the link is spent", async () => {
    const user = await makeUser(db, { role: "TECHNICIAN", mfa: true });
    const before = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      omit: { passwordHash: false, mfaSecret: false },
    });
    await sendResetLink(user.email, request());
    const token = tokenIn((await resetMails(user.id))[0]!.text);
    expect(await resetPassword({ token, newPassword: NEW_PASSWORD }, request())).toEqual({
      email: user.email,
    });
    const after = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      omit: { passwordHash: false, mfaSecret: false },
    });
    expect(await verifyPassword(NEW_PASSWORD, after.passwordHash)).toBe(true);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    // MFA is not bypassed: the secret stays, so the next sign-in still asks for a code.
    expect(after.mfaSecret).toBe(before.mfaSecret);
    expect(after.mfaEnabledAt).toEqual(before.mfaEnabledAt);
    await expect(
      resetPassword({ token, newPassword: "another long passphrase 7" }, request()),
    ).rejects.toThrow(RESET_LINK_INVALID);
    const events = await db.auditEvent.findMany({
      where: { action: "auth.password_reset", entityId: user.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: "SUCCESS", actorId: user.id });
  });

  it("refuses an expired link and a made-up one, audited", async () => {
    const user = await makeUser(db, { role: "USER" });
    await sendResetLink(user.email, request());
    const token = tokenIn((await resetMails(user.id))[0]!.text);
    await db.passwordResetToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(resetPassword({ token, newPassword: NEW_PASSWORD }, request())).rejects.toThrow(
      RESET_LINK_INVALID,
    );
    const ip = uniqueIp();
    await expect(
      resetPassword({ token: "A".repeat(43), newPassword: NEW_PASSWORD }, { ...request(), ip }),
    ).rejects.toThrow(RESET_LINK_INVALID);
    const failed = await db.auditEvent.findFirst({
      where: { action: "auth.password_reset", ip, outcome: "FAILED" },
    });
    expect(failed?.metadata).toEqual({ reason: "invalid_or_expired_link" });
  });

  it("holds the new password to the policy (the form's schema, run on the server)", () => {
    const base = { token: "A".repeat(43), confirmPassword: "password123" };
    expect(ResetPasswordSchema.safeParse({ ...base, newPassword: "password123" }).success).toBe(
      false,
    );
    expect(
      ResetPasswordSchema.safeParse({
        ...base,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      }).success,
    ).toBe(true);
    expect(
      ResetPasswordSchema.safeParse({
        token: "../../etc",
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      }).success,
    ).toBe(false);
  });

  it("throttles attempts per ip", async () => {
    const ip = uniqueIp();
    const attempts = [];
    for (let i = 0; i < 11; i++) {
      attempts.push(
        await resetPassword(
          { token: "B".repeat(43), newPassword: NEW_PASSWORD },
          { ...request(), ip },
        ).then(
          () => "ok",
          (e: Error) => e.constructor.name,
        ),
      );
    }
    expect(attempts.slice(0, 10)).toEqual(Array(10).fill("ValidationError"));
    expect(attempts[10]).toBe("RateLimitedError");
  });
});
