import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { contextFor, factoryTotp, makeUser } from "@/tests/support/factories";
import { captureLogs, type CapturedLogs } from "@/tests/support/logs";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// T4 (attack suite, issue 5 §3): an attacker with the password but not the second factor.
// TOTP windows and replay through the real sign-in step, recovery codes that work once, and
// not one password, code, recovery code, secret or pending token in any log line, audit row
// or security-event payload written while every MFA flow runs.

const state = vi.hoisted(() => {
  // Everything the app logs, at every level (the test config silences it by default).
  process.env.LOG_LEVEL = "trace";
  // Security events are also queued for a SIEM: their payloads are checked too.
  process.env.TESSERA_SIEM_URL = "syslog+udp://127.0.0.1:9";
  return { headers: new Headers(), cookies: new Map<string, string>() };
});
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { logger } = await import("@/lib/logger");
const { authenticate } = await import("@/lib/auth/sign-in");
const { completeMfaSignIn, MfaRequiredError } = await import("@/lib/auth/mfa/sign-in");
const { totpCode } = await import("@/lib/auth/mfa/totp");
const { decryptSecret } = await import("@/lib/auth/mfa/crypto");
const mfaActions = await import("@/lib/auth/mfa/actions");
const { confirmPassword } = await import("@/lib/auth/reauth");
const { resetUserMfa } = await import("@/lib/users/admin-service");
const { rateLimitStore } = await import("@/lib/rate-limit");
const { storeKey } = await import("@/lib/rate-limit/limiter");

const db = createTestDb();
const context = { ip: "198.51.100.44", userAgent: "t4", requestId: "req-t4-mfa" };
const STEP = 30_000;

// The app's own logger, with its redaction, writing into an array instead of stdout.
let logs: CapturedLogs;
beforeAll(() => {
  logs = captureLogs(logger);
});
afterAll(async () => {
  logs.restore();
  delete process.env.TESSERA_SIEM_URL;
  await db.$disconnect();
});

async function passwordStep(email: string, password: string): Promise<string> {
  const error = await authenticate({ email, password }, context).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MfaRequiredError);
  return (error as InstanceType<typeof MfaRequiredError>).mfaToken;
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "signed in",
    (e: { code?: string }) => e.code ?? "error",
  );

describe("T4: the second factor", () => {
  it("accepts a code from the previous or next 30 s step, not from two steps away", async () => {
    const seen: string[] = [];
    for (const offset of [-2, -1, 0, 1, 2]) {
      const user = await makeUser(db, { role: "TECHNICIAN" });
      const token = await passwordStep(user.email, user.password);
      // The code is made and checked within one step: near a step's end (a slow machine, the
      // embedded database), wait for the next one so "one step away" stays one step away.
      const intoStep = Date.now() % STEP;
      if (intoStep > STEP - 10_000) await new Promise((r) => setTimeout(r, STEP - intoStep + 50));
      const code = totpCode(user.mfaSecret!, Date.now() + offset * STEP);
      seen.push(await outcome(completeMfaSignIn({ mfaToken: token, code }, context)));
    }
    expect(seen).toEqual([
      "mfa_wrong_code",
      "signed in",
      "signed in",
      "signed in",
      "mfa_wrong_code",
    ]);
  }, 90_000);

  it("a code that signed in once never signs in again, even with a new password step", async () => {
    const user = await makeUser(db, { role: "ADMIN" });
    const code = factoryTotp(user);
    const first = await passwordStep(user.email, user.password);
    expect(await outcome(completeMfaSignIn({ mfaToken: first, code }, context))).toBe("signed in");
    const second = await passwordStep(user.email, user.password);
    expect(await outcome(completeMfaSignIn({ mfaToken: second, code }, context))).toBe(
      "mfa_wrong_code",
    );
    const last = await db.auditEvent.findFirstOrThrow({
      where: { action: "auth.sign_in", entityId: user.id },
      orderBy: { id: "desc" },
    });
    expect(last).toMatchObject({
      outcome: "FAILED",
      metadata: { step: "mfa", reason: "replayed_code" },
    });
  });

  it("a recovery code signs in exactly once", async () => {
    const user = await makeUser(db, { mfa: false });
    await actAs(state as RequestState, user);
    await mfaActions.startMfaEnrollmentAction({});
    const row = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { mfaPendingSecret: true },
    });
    const secret = decryptSecret(
      row.mfaPendingSecret!,
      Buffer.from(process.env.MFA_ENCRYPTION_KEY!, "base64"),
    );
    const enabled = await mfaActions.confirmMfaEnrollmentAction({
      code: totpCode(secret),
      password: user.password,
    });
    if (!enabled.ok) throw new Error(enabled.formError);
    const code = enabled.data.recoveryCodes[3]!;
    const token = await passwordStep(user.email, user.password);
    expect(await outcome(completeMfaSignIn({ mfaToken: token, code }, context))).toBe("signed in");
    expect(await outcome(completeMfaSignIn({ mfaToken: token, code }, context))).toBe(
      "mfa_wrong_code",
    );
  });
});

describe("T4: no secret in any log line, audit row or security event", () => {
  it("runs every MFA flow and finds none of the secrets it used", async () => {
    const [{ max }] = (await db.$queryRaw<
      { max: bigint | null }[]
    >`SELECT max(id) AS max FROM "AuditEvent"`) as [{ max: bigint | null }];
    const [{ maxOutbox }] = (await db.$queryRaw<{ maxOutbox: bigint | null }[]>`
      SELECT max(id) AS "maxOutbox" FROM "SecurityOutbox"`) as [{ maxOutbox: bigint | null }];
    const secrets: string[] = [process.env.MFA_ENCRYPTION_KEY!];
    const wrongPassword = "t4-Wrong-Password-Kettle";
    secrets.push(wrongPassword);

    // A user enrolls through the actions (QR secret, recovery codes shown once), regenerates.
    const user = await makeUser(db, { mfa: false, password: "t4-user-Password-Lantern" });
    secrets.push(user.password);
    await actAs(state as RequestState, user);
    await mfaActions.startMfaEnrollmentAction({});
    const pending = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { mfaPendingSecret: true },
    });
    const key = Buffer.from(process.env.MFA_ENCRYPTION_KEY!, "base64");
    const secret = decryptSecret(pending.mfaPendingSecret!, key);
    secrets.push(secret, pending.mfaPendingSecret!);
    const wrongCode = totpCode(secret, Date.now() + 10 * STEP);
    secrets.push(wrongCode);
    expect(
      (await mfaActions.confirmMfaEnrollmentAction({ code: wrongCode, password: user.password }))
        .ok,
    ).toBe(false);
    const enrollCode = totpCode(secret);
    secrets.push(enrollCode);
    const enabled = await mfaActions.confirmMfaEnrollmentAction({
      code: enrollCode,
      password: user.password,
    });
    if (!enabled.ok) throw new Error(enabled.formError);
    secrets.push(
      ...enabled.data.recoveryCodes,
      ...enabled.data.recoveryCodes.map((c) => c.replace("-", "")),
    );

    // Sign-in: wrong password, right password, wrong code, right code, then a recovery code.
    await authenticate({ email: user.email, password: wrongPassword }, context);
    const token = await passwordStep(user.email, user.password);
    secrets.push(token);
    await outcome(completeMfaSignIn({ mfaToken: token, code: wrongCode }, context));
    const nextCode = totpCode(secret, Date.now() + STEP);
    secrets.push(nextCode);
    expect(await outcome(completeMfaSignIn({ mfaToken: token, code: nextCode }, context))).toBe(
      "signed in",
    );
    const recovery = enabled.data.recoveryCodes[0]!;
    expect(await outcome(completeMfaSignIn({ mfaToken: token, code: recovery }, context))).toBe(
      "signed in",
    );
    await outcome(completeMfaSignIn({ mfaToken: token, code: recovery }, context));

    // Throttled: wrong codes until refused (logged as a security event).
    const tech = await makeUser(db, { role: "TECHNICIAN", password: "t4-tech-Password-Harbour" });
    secrets.push(tech.password, tech.mfaSecret!);
    await rateLimitStore().delete(storeKey("mfa-code", tech.id));
    const techToken = await passwordStep(tech.email, tech.password);
    for (let i = 0; i < 6; i++) {
      await outcome(
        completeMfaSignIn({ mfaToken: techToken, code: `${100000 + i * 7919}` }, context),
      );
      secrets.push(`${100000 + i * 7919}`);
    }

    // New recovery codes with a current code; an admin's password confirmation and reset.
    const regenerateCode = totpCode(secret, Date.now() + STEP * 1);
    await db.user.update({ where: { id: user.id }, data: { mfaLastStep: null } });
    // Turning MFA on ended the sessions from before: this browser's token was re-issued.
    await actAs(state as RequestState, user, { sv: user.sessionVersion + 1 });
    const regenerated = await mfaActions.regenerateRecoveryCodesAction({ code: regenerateCode });
    if (!regenerated.ok) throw new Error(regenerated.formError);
    secrets.push(...regenerated.data.recoveryCodes);
    const admin = await makeUser(db, { role: "ADMIN", password: "t4-admin-Password-Meadow" });
    secrets.push(admin.password, admin.mfaSecret!);
    const ctx = contextFor(admin, { request: context });
    await confirmPassword(ctx, { password: "t4-not-the-admin-password" }).catch(() => null);
    secrets.push("t4-not-the-admin-password");
    const { token: reauth } = await confirmPassword(ctx, { password: admin.password });
    secrets.push(reauth);
    await resetUserMfa({ ...ctx, reauthToken: reauth }, { userId: user.id });

    const audit = await db.auditEvent.findMany({
      where: { id: { gt: max ?? 0n } },
      select: { before: true, after: true, metadata: true, action: true },
    });
    const outbox = await db.securityOutbox.findMany({
      where: { id: { gt: maxOutbox ?? 0n } },
      select: { payload: true, eventType: true },
    });
    // The flows really ran and were recorded.
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["account.mfa_enable", "auth.sign_in", "user.mfa_reset"]),
    );
    expect(outbox.map((o) => o.eventType)).toEqual(
      expect.arrayContaining(["auth.mfa_changed", "auth.throttled"]),
    );
    expect(logs.lines.some((l) => l.includes("auth.mfa_changed"))).toBe(true);

    const haystacks = {
      logs: logs.text(),
      audit: JSON.stringify(audit),
      outbox: JSON.stringify(outbox),
    };
    const leaks = Object.entries(haystacks).flatMap(([where, text]) =>
      secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s.slice(0, 12)}…`),
    );
    expect(leaks).toEqual([]);
  });
});
