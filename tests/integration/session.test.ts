import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

// Session lifetimes per role (idle and absolute), enforced on the guards path, and "sign out
// everywhere". Tokens are minted as Auth.js does, with sign-in and last-seen times in the past.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));

const { currentUser } = await import("@/lib/auth/guards");
const { signOutEverywhereAction } = await import("@/lib/auth/actions");

const db = createTestDb();
const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
  state.headers = new Headers();
  state.cookies = new Map();
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => db.$disconnect());

describe("idle and absolute lifetimes per role (defaults)", () => {
  it.each([
    // role, signed in ago, last request ago, alive?
    ["TECHNICIAN", 1 * HOUR, 29 * MIN, true],
    ["TECHNICIAN", 1 * HOUR, 31 * MIN, false], // staff idle 30 min
    ["ADMIN", 11 * HOUR + 50 * MIN, 1 * MIN, true],
    ["ADMIN", 12 * HOUR + 1 * MIN, 1 * MIN, false], // staff absolute 12 h
    ["USER", 6 * DAY, 6 * DAY, true],
    ["USER", 8 * DAY, 7 * DAY + 1 * MIN, false], // user idle 7 days
    ["USER", 29 * DAY, 1 * MIN, true],
    ["USER", 30 * DAY + 1 * MIN, 1 * MIN, false], // user absolute 30 days
  ] as const)(
    "%s signed in %is ago, last seen %is ago -> alive: %s",
    async (role, authAgo, seenAgo, alive) => {
      const user = await makeUser(db, { role });
      await actAs(state, user, { authAgo, seenAgo });
      const result = await currentUser();
      if (alive) expect(result).toMatchObject({ id: user.id });
      else expect(result).toBeNull();
    },
  );

  it("is configurable: SESSION_STAFF_IDLE_MINUTES=5 ends a staff session idle for 6 minutes", async () => {
    vi.stubEnv("SESSION_STAFF_IDLE_MINUTES", "5");
    const user = await makeUser(db, { role: "TECHNICIAN" });
    await actAs(state, user, { authAgo: 10 * MIN, seenAgo: 6 * MIN });
    expect(await currentUser()).toBeNull();
    vi.stubEnv("SESSION_USER_ABSOLUTE_MINUTES", "60");
    const plain = await makeUser(db);
    await actAs(state, plain, { authAgo: 61 * MIN, seenAgo: 1 * MIN });
    expect(await currentUser()).toBeNull();
  });

  it("the absolute lifetime follows the role in the database, not the one in the token", async () => {
    const user = await makeUser(db, { role: "ADMIN" });
    // A user-role token 13 h old would still be alive; the account is staff now.
    await actAs(state, user, { role: "USER", authAgo: 13 * HOUR, seenAgo: 1 * MIN });
    expect(await currentUser()).toBeNull();
  });
});

describe("sign out everywhere", () => {
  it("bumps sessionVersion, audits, signs this browser out, and every old cookie is refused", async () => {
    const user = await makeUser(db);
    await actAs(state, user, { authAgo: HOUR, seenAgo: MIN });
    expect(await currentUser()).toMatchObject({ id: user.id });

    const thrown = await signOutEverywhereAction({}).catch((e: unknown) => e);
    expect(String((thrown as { digest?: string })?.digest ?? thrown)).toContain("NEXT_REDIRECT");
    expect([...state.cookies.keys()].some((n) => n.includes("session-token"))).toBe(true);

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionVersion).toBe(2);
    const [event] = await db.auditEvent.findMany({
      where: { action: "auth.sign_out_everywhere", entityId: user.id },
    });
    expect(event).toMatchObject({ outcome: "SUCCESS", actorId: user.id });

    await actAs(state, user, { sv: 1, authAgo: HOUR, seenAgo: MIN }); // another device's cookie
    expect(await currentUser()).toBeNull();
  });
});
