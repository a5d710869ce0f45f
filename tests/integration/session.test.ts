import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { makeUser } from "@/prisma/factories";
import { createPrismaClient } from "@/prisma/client";

// Session lifetimes per role (idle and absolute), enforced on the guards path, and "sign out
// everywhere". Tokens are minted as Auth.js does, with sign-in and last-seen times in the past.
const request = vi.hoisted(() => ({ headers: new Headers(), setCookies: [] as string[] }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: (name: string) => request.setCookies.push(name),
    delete: () => {},
  }),
}));

const { currentUser } = await import("@/lib/auth/guards");
const { signOutEverywhereAction } = await import("@/lib/auth/actions");

const db = createPrismaClient(process.env.TEST_DATABASE_URL!);
const now = () => Math.floor(Date.now() / 1000);
const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

async function requestWith(
  user: { id: string; role: string },
  times: { authAgo: number; seenAgo: number },
  sv = 1,
) {
  const token = await encode({
    token: {
      sub: user.id,
      uid: user.id,
      role: user.role as "USER",
      sv,
      at: now() - times.authAgo,
      ls: now() - times.seenAgo,
    },
    secret: process.env.AUTH_SECRET!,
    salt: "authjs.session-token",
  });
  request.headers = new Headers({
    cookie: `authjs.session-token=${token}`,
    host: "localhost:3000",
    "x-forwarded-proto": "http",
  });
}

beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
  request.headers = new Headers();
  request.setCookies = [];
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
      await requestWith(user, { authAgo, seenAgo });
      const result = await currentUser();
      if (alive) expect(result).toMatchObject({ id: user.id });
      else expect(result).toBeNull();
    },
  );

  it("is configurable: SESSION_STAFF_IDLE_MINUTES=5 ends a staff session idle for 6 minutes", async () => {
    vi.stubEnv("SESSION_STAFF_IDLE_MINUTES", "5");
    const user = await makeUser(db, { role: "TECHNICIAN" });
    await requestWith(user, { authAgo: 10 * MIN, seenAgo: 6 * MIN });
    expect(await currentUser()).toBeNull();
    vi.stubEnv("SESSION_USER_ABSOLUTE_MINUTES", "60");
    const plain = await makeUser(db);
    await requestWith(plain, { authAgo: 61 * MIN, seenAgo: 1 * MIN });
    expect(await currentUser()).toBeNull();
  });

  it("the absolute lifetime follows the role in the database, not the one in the token", async () => {
    const user = await makeUser(db, { role: "ADMIN" });
    // A user-role token 13 h old would still be alive; the account is staff now.
    await requestWith({ id: user.id, role: "USER" }, { authAgo: 13 * HOUR, seenAgo: 1 * MIN });
    expect(await currentUser()).toBeNull();
  });
});

describe("sign out everywhere", () => {
  it("bumps sessionVersion, audits, signs this browser out, and every old cookie is refused", async () => {
    const user = await makeUser(db);
    await requestWith(user, { authAgo: HOUR, seenAgo: MIN });
    expect(await currentUser()).toMatchObject({ id: user.id });

    const thrown = await signOutEverywhereAction({}).catch((e: unknown) => e);
    expect(String((thrown as { digest?: string })?.digest ?? thrown)).toContain("NEXT_REDIRECT");
    expect(request.setCookies.some((n) => n.includes("session-token"))).toBe(true);

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionVersion).toBe(2);
    const [event] = await db.auditEvent.findMany({
      where: { action: "auth.sign_out_everywhere", entityId: user.id },
    });
    expect(event).toMatchObject({ outcome: "SUCCESS", actorId: user.id });

    await requestWith(user, { authAgo: HOUR, seenAgo: MIN }, 1); // another device's cookie
    expect(await currentUser()).toBeNull();
  });
});
