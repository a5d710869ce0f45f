import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { makeUser, uniqueSuffix } from "@/tests/support/factories";

// Every way a user's sessions end goes through revokeSessions (lib/auth/sessions.ts): the
// sessionVersion goes up by one, the audit event records the versions, and the security event
// "auth.sessions_revoked" says whose, by whom and why. Queued for a SIEM so it can be read back.

const { endOwnSessions } = await import("@/lib/auth/sessions");
const { changePassword } = await import("@/lib/users/account");
const { confirmPassword } = await import("@/lib/auth/reauth");
const admin = await import("@/lib/users/admin-service");

beforeAll(() => {
  process.env.TESSERA_SIEM_URL = "syslog+udp://127.0.0.1:9";
});
afterAll(async () => {
  delete process.env.TESSERA_SIEM_URL;
  await db.$disconnect();
});

type Made = Awaited<ReturnType<typeof makeUser>>;
const ctxOf = (actor: Made, extra: Partial<ServiceContext> = {}): ServiceContext => ({
  actor,
  request: { ip: "198.51.100.61", userAgent: "vitest", requestId: `req-rev-${uniqueSuffix()}` },
  ...extra,
});

async function revocations(userId: string) {
  const rows = await db.securityOutbox.findMany({
    where: { eventType: "auth.sessions_revoked", destination: "siem" },
    orderBy: { id: "asc" },
  });
  return rows
    .map((r) => (r.payload as { fields: Record<string, unknown> }).fields)
    .filter((f) => f.userId === userId)
    .map((f) => [f.reason, f.by]);
}

const version = async (id: string) =>
  (await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion;

describe("revokeSessions, the one way sessions end", () => {
  it("one's own sign-out, sign out everywhere and password change", async () => {
    const user = await makeUser(db);
    await endOwnSessions(ctxOf(user), "auth.sign_out");
    await endOwnSessions(ctxOf(user), "auth.sign_out_everywhere");
    await changePassword(ctxOf(user), {
      currentPassword: user.password,
      newPassword: "quartz meadow lantern fig",
    });
    expect(await version(user.id)).toBe(4);
    expect(await revocations(user.id)).toEqual([
      ["sign_out", user.id],
      ["sign_out_everywhere", user.id],
      ["password_change", user.id],
    ]);
    const audits = await db.auditEvent.findMany({
      where: { entityId: user.id, outcome: "SUCCESS" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.before, a.after])).toEqual([
      ["auth.sign_out", { sessionVersion: 1 }, { sessionVersion: 2 }],
      ["auth.sign_out_everywhere", { sessionVersion: 2 }, { sessionVersion: 3 }],
      [
        "user.password_change",
        { sessionVersion: 3, mustChangePassword: false },
        { sessionVersion: 4, mustChangePassword: false },
      ],
    ]);
  });

  it("every admin change that alters what a user may do", async () => {
    const operator = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db, { role: "TECHNICIAN" });
    const { token } = await confirmPassword(ctxOf(operator), { password: operator.password });
    const ctx = ctxOf(operator, { reauthToken: token });
    const ref = { userId: target.id };
    await admin.changeUserRole(ctx, { ...ref, role: "USER" });
    await admin.setUserActive(ctx, { ...ref, active: false });
    await admin.setUserActive(ctx, { ...ref, active: true });
    await admin.resetUserPassword(ctx, ref);
    await admin.signOutUserEverywhere(ctx, ref);
    await db.user.update({ where: { id: target.id }, data: { mfaEnabledAt: new Date() } });
    await admin.resetUserMfa(ctx, ref);
    expect(await version(target.id)).toBe(7);
    expect(await revocations(target.id)).toEqual(
      [
        "role_change",
        "deactivation",
        "reactivation",
        "password_reset",
        "sign_out_everywhere",
        "mfa_reset",
      ].map((reason) => [reason, operator.id]),
    );
  });
});
