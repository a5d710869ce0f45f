import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import {
  actAs,
  nextHeadersMock,
  requestHeaders,
  sessionCookie,
  type RequestState,
} from "@/tests/support/request";

// Issue 10 §5: turning MFA on asks for the password (a session left open on a shared computer
// must not be enough to bind someone else's authenticator) and ends the account's sessions
// (someone who had a session before MFA must not keep it); the browser that turned it on signs
// in again, now with a code.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const mfa = await import("@/lib/auth/mfa/actions");
const { currentUser } = await import("@/lib/auth/guards");
const { decryptSecret } = await import("@/lib/auth/mfa/crypto");
const { totpCode } = await import("@/lib/auth/mfa/totp");
const { rateLimitStore } = await import("@/lib/rate-limit");
const { storeKey } = await import("@/lib/rate-limit/limiter");

const db = createTestDb();
const key = Buffer.from(process.env.MFA_ENCRYPTION_KEY!, "base64");
const SESSION_COOKIE = "authjs.session-token";

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});
afterAll(() => db.$disconnect());

async function startedEnrollment() {
  const user = await makeUser(db, { mfa: false });
  await rateLimitStore().delete(storeKey("mfa-code", user.id));
  await actAs(state, user);
  expect(await mfa.startMfaEnrollmentAction({})).toEqual({ ok: true, data: null });
  const row = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { mfaPendingSecret: true },
  });
  return { user, secret: decryptSecret(row.mfaPendingSecret!, key) };
}

/** Who the guards see for a browser sending `cookie`. */
async function whoIs(cookie: string) {
  state.headers = requestHeaders({ cookie });
  state.cookies = new Map();
  return (await currentUser())?.id ?? null;
}

describe("turning MFA on", () => {
  it("needs the account's password: a wrong or missing one leaves MFA off", async () => {
    const { user, secret } = await startedEnrollment();
    await actAs(state, user);
    const wrong = await mfa.confirmMfaEnrollmentAction({
      code: totpCode(secret),
      password: "not-the-password-of-this-account",
    });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { password: [expect.any(String)] } });
    const missing = await mfa.confirmMfaEnrollmentAction({ code: totpCode(secret) });
    expect(missing).toMatchObject({ ok: false, fieldErrors: { password: [expect.any(String)] } });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mfaEnabledAt).toBeNull();
    expect(row.sessionVersion).toBe(user.sessionVersion);
    const failed = await db.auditEvent.findFirst({
      where: { action: "account.mfa_enable", actorId: user.id, outcome: "FAILED" },
    });
    expect(failed?.metadata).toMatchObject({ reason: "wrong_password" });
  });

  it("ends every session of the account, this browser's too (it signs in again with a code)", async () => {
    const { user, secret } = await startedEnrollment();
    const otherDevice = await sessionCookie(user, { sv: user.sessionVersion });
    expect(await whoIs(otherDevice)).toBe(user.id);

    await actAs(state, user);
    const thisBrowser = state.headers.get("cookie")!;
    const enabled = await mfa.confirmMfaEnrollmentAction({
      code: totpCode(secret),
      password: user.password,
    });
    expect(enabled.ok).toBe(true);
    // No cookie is touched (the page is not re-rendered: the codes stay on screen).
    expect(state.cookies.has(SESSION_COOKIE)).toBe(false);

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mfaEnabledAt).not.toBeNull();
    expect(row.sessionVersion).toBe(user.sessionVersion + 1);
    expect(await whoIs(otherDevice)).toBeNull();
    expect(await whoIs(thisBrowser)).toBeNull();

    const audit = await db.auditEvent.findFirst({
      where: { action: "account.mfa_enable", actorId: user.id, outcome: "SUCCESS" },
    });
    expect(audit?.before).toMatchObject({ sessionVersion: user.sessionVersion });
    expect(audit?.after).toMatchObject({ sessionVersion: user.sessionVersion + 1 });
  });
});
