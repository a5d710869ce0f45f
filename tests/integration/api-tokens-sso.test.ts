import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import { makeApiToken } from "@/tests/support/api-tokens";

// With single sign-on, MFA is the identity provider's (ADR 029): a technician linked to the
// configured provider has no Tessera TOTP, and their tokens work; an unlinked one's do not while
// staff MFA is required. lib/env.ts reads the environment once: set before any module loads.
vi.hoisted(() => {
  process.env.TESSERA_SSO_ISSUER = "https://idp.tokens.test";
  process.env.TESSERA_SSO_CLIENT_ID = "tessera";
  process.env.TESSERA_SSO_CLIENT_SECRET = "secret";
  process.env.TESSERA_STAFF_MFA = "required";
});

const { authenticateApiToken } = await import("@/lib/api-tokens/authenticate");

const db = createTestDb();
afterAll(() => db.$disconnect());

describe("API tokens of staff who sign in with SSO", () => {
  it("need no Tessera MFA when linked to the configured provider; others still do", async () => {
    const linked = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    const unlinked = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    const otherIdp = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    await db.account.createMany({
      data: [
        {
          userId: linked.id,
          type: "oidc",
          provider: "https://idp.tokens.test",
          providerAccountId: `sub-${linked.id}`,
        },
        {
          userId: otherIdp.id,
          type: "oidc",
          provider: "https://another-idp.test",
          providerAccountId: `sub-${otherIdp.id}`,
        },
      ],
    });
    const check = async (userId: string) => {
      const { token } = await makeApiToken(db, userId, { scopes: ["tickets:read"] });
      const result = await authenticateApiToken(`Bearer ${token}`, "192.0.2.44");
      return result.ok ? "accepted" : result.reason;
    };
    expect(await check(linked.id)).toBe("accepted");
    expect(await check(unlinked.id)).toBe("mfa_enrollment_required");
    expect(await check(otherIdp.id)).toBe("mfa_enrollment_required");
  });
});
