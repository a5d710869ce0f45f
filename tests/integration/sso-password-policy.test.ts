import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import { uniqueIp } from "@/tests/support/rate-limit";

// Break-glass (docs/decisions/029-single-sign-on.md): with single sign-on on and
// TESSERA_SSO_PASSWORD_SIGN_IN=admins, the password form is for local admins only (who still
// need their TOTP code); everyone else is told to use SSO, and the refusal is audited.
// lib/env.ts reads the environment once: set before any module loads (hoisted above imports).
vi.hoisted(() => {
  process.env.TESSERA_SSO_ISSUER = "https://idp.break-glass.test";
  process.env.TESSERA_SSO_CLIENT_ID = "tessera";
  process.env.TESSERA_SSO_CLIENT_SECRET = "secret";
  process.env.TESSERA_SSO_PASSWORD_SIGN_IN = "admins";
});

const { authenticate, SsoOnlyError } = await import("@/lib/auth/sign-in");
const { MfaRequiredError } = await import("@/lib/auth/mfa/sign-in");

const db = createTestDb();
afterAll(() => db.$disconnect());
const ctx = () => ({ ip: uniqueIp(), userAgent: "vitest", requestId: `req-${Date.now()}` });

describe("password sign-in with SSO for everyone but local admins", () => {
  it("refuses a user or technician with the right password, and audits it", async () => {
    for (const role of ["USER", "TECHNICIAN"] as const) {
      const user = await makeUser(db, { role, mfa: false });
      await expect(
        authenticate({ email: user.email, password: user.password }, ctx()),
      ).rejects.toBeInstanceOf(SsoOnlyError);
      const event = await db.auditEvent.findFirst({
        where: { action: "auth.sign_in", entityId: user.id },
        orderBy: { id: "desc" },
      });
      expect(event).toMatchObject({ outcome: "REFUSED", metadata: { reason: "sso_only" } });
    }
  });

  it("a wrong password is still just a wrong password (nothing told about the account)", async () => {
    const user = await makeUser(db, { role: "USER", mfa: false });
    expect(
      await authenticate({ email: user.email, password: "wrong-password-1" }, ctx()),
    ).toBeNull();
  });

  it("a local admin still signs in with password, then the TOTP step", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await expect(
      authenticate({ email: admin.email, password: admin.password }, ctx()),
    ).rejects.toBeInstanceOf(MfaRequiredError);
  });
});
