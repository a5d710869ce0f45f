import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Issue 10 §5: the fresh-password confirmation before admin actions counts its attempts
// atomically. Before, it counted FAILED audit rows and then ran bcrypt: twenty parallel guesses
// all read "0 failures" and all got checked. Real parallel calls of the real action, real
// PostgreSQL rate-limit store, bcrypt observed through a spy that calls the real function.
const spies = vi.hoisted(() => ({ compares: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...real,
    verifyPassword: async (...args: Parameters<typeof real.verifyPassword>) => {
      spies.compares += 1;
      return real.verifyPassword(...args);
    },
  };
});
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actions = await import("@/lib/users/actions");
const { rateLimitStore } = await import("@/lib/rate-limit");
const { REAUTH_COOKIE } = await import("@/lib/auth/reauth");

const db = createTestDb();
afterAll(() => db.$disconnect());
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
  spies.compares = 0;
});

describe("fresh-password confirmation under a parallel burst", () => {
  it("20 parallel wrong guesses get at most 5 password checks; the rest are refused", async () => {
    expect(rateLimitStore().kind).toBe("postgres");
    const admin = await makeUser(db, { role: "ADMIN" });
    await actAs(state, admin);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        actions.confirmPasswordAction({ password: "a-wrong-guess-of-the-password" }),
      ),
    );
    expect(spies.compares).toBeLessThanOrEqual(5);
    const failures = await db.auditEvent.count({
      where: { actorId: admin.id, action: "auth.reauth", outcome: "FAILED" },
    });
    expect(failures).toBeLessThanOrEqual(5);
    const refused = results.filter(
      (r) => !r.ok && /Too many attempts/.test(r.formError ?? ""),
    ).length;
    expect(refused).toBeGreaterThanOrEqual(15);

    // The right password is refused too until the window passes (no oracle for the burst).
    spies.compares = 0;
    const right = await actions.confirmPasswordAction({ password: admin.password });
    expect(right).toMatchObject({ ok: false, formError: expect.stringMatching(/Too many/) });
    expect(spies.compares).toBe(0);
    expect(state.cookies.has(REAUTH_COOKIE)).toBe(false);
  });

  it("a right password does not use up the allowance", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    for (let i = 0; i < 8; i += 1) {
      await actAs(state, admin);
      expect(await actions.confirmPasswordAction({ password: admin.password })).toEqual({
        ok: true,
        data: null,
      });
    }
  });
});
