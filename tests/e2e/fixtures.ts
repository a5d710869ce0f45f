import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { e2eMfaSecret, freshCode } from "./mfa";

// Import `test` and `expect` from here, not from @playwright/test:
//   import { test, expect } from "./fixtures";
//   test("admin sees users", async ({ page, login }) => { await login("admin"); ... });
// login("admin") and login("technician") create a FRESH staff account with MFA set up (staff
// must use MFA) and sign in with password and code; login("user") uses the demo user. Each
// returns who signed in ({ id, email, name, password, totpSecret }).
// Every test fails on a console error or uncaught exception in the page unless it calls
// allowConsoleError(/pattern/) first (e.g. the browser's "Failed to load resource: 403" line
// when a test checks that a forbidden request is refused).
// Two workers run files side by side against one app (playwright.config.ts): a test makes its
// own accounts and data and must not depend on what other tests do meanwhile. One that reads or
// changes server-wide state (request counters, instance settings) runs alone:
// test.use({ exclusive: true }).

export type Role = "admin" | "technician" | "user";

export const DEMO_PASSWORD = "tessera-demo-password";
export const DEMO_EMAILS: Record<Role, string> = {
  admin: "admin@demo.tessera",
  technician: "tech@demo.tessera",
  user: "user@demo.tessera",
};

/**
 * Signs in through the real login form, as a person would. With `totpSecret`, answers the
 * two-factor step with the current code (or the next one when `afterStep` was already used).
 */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  mfa?: { totpSecret: string; afterStep?: number },
): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (mfa) {
    // bcrypt plus the first request of a cold server: allow more than the default 10 s.
    const input = page.getByLabel("Authentication code");
    await expect(input).toBeVisible({ timeout: 30_000 });
    const { code } = await freshCode(mfa.totpSecret, mfa.afterStep);
    await input.fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
  }
  await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 30_000 });
}

export type SignedIn = {
  id: string;
  email: string;
  name: string;
  password: string;
  /** The TOTP secret (base32) of a staff account; null for the demo user. */
  totpSecret: string | null;
};

const STAFF_NAMES = { admin: "Admin", technician: "Technician" } as const;

/** A new active staff account with MFA set up, written to the app's database. */
export async function makeStaff(role: "admin" | "technician", name?: string) {
  const user = await makeUser(testDb(), {
    role: role === "admin" ? "ADMIN" : "TECHNICIAN",
    name: name ?? `E2E ${STAFF_NAMES[role]} ${uniqueSuffix()}`,
    mfa: false,
  });
  const { secret, encrypted } = e2eMfaSecret();
  await testDb().user.update({
    where: { id: user.id },
    data: { mfaSecret: encrypted, mfaEnabledAt: new Date() },
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    password: user.password,
    totpSecret: secret,
  };
}

type Fixtures = {
  login: (role: Role) => Promise<SignedIn>;
  allowConsoleError: (pattern: RegExp) => void;
  consoleGuard: void;
  /**
   * `test.use({ exclusive: true })` for tests that read server-wide state other tests change
   * (metrics.spec.ts: exact counter deltas) or change it (admin.spec.ts: the allowed attachment
   * kinds): such a test runs while no other test does. Every other test holds the same lock
   * shared. See `_runLock`.
   */
  exclusive: boolean;
  _runLock: void;
};

// The suite runs on 2 workers against one app (playwright.config.ts). One lock per test
// database, a PostgreSQL advisory lock on a connection of each worker's own: taken shared by
// every test, exclusively by an `exclusive` test, which then waits for the other worker's
// current test to end and keeps new ones from starting until it is done (PostgreSQL queues a
// shared request behind a waiting exclusive one). With one worker (the embedded database, whose
// single session would share the lock anyway) nothing is taken.
const RUN_LOCK_KEY = 0x7e55e4a; // arbitrary; advisory locks are per database

export const test = base.extend<
  Fixtures & { _allowed: RegExp[] },
  { _lockClient: pg.Client | null }
>({
  exclusive: [false, { option: true }],
  _lockClient: [
    async ({}, provide, workerInfo) => {
      const url = process.env.TEST_DATABASE_URL;
      if (workerInfo.config.workers <= 1 || !url) return provide(null);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await provide(client);
      await client.end();
    },
    { scope: "worker" },
  ],
  _runLock: [
    async ({ _lockClient: client, exclusive }, provide, testInfo) => {
      if (!client) return provide();
      const mode = exclusive ? "" : "_shared";
      const started = Date.now();
      const budget = testInfo.timeout;
      // Time spent waiting for the other worker is not the test's own: no timeout may fire while
      // waiting (the other worker's test may be a 20-minute accessibility sweep; a timeout here
      // left the lock request queued on the worker's connection and stalled every later test),
      // and the wait is added to the budget afterwards.
      testInfo.setTimeout(0);
      await client.query(`SELECT pg_advisory_lock${mode}($1)`, [RUN_LOCK_KEY]);
      if (budget > 0) testInfo.setTimeout(budget + (Date.now() - started));
      try {
        await provide();
      } finally {
        await client.query(`SELECT pg_advisory_unlock${mode}($1)`, [RUN_LOCK_KEY]);
      }
    },
    { auto: true },
  ],
  _allowed: async ({}, provide) => {
    await provide([]);
  },
  allowConsoleError: async ({ _allowed }, provide) => {
    await provide((pattern) => {
      _allowed.push(pattern);
    });
  },
  consoleGuard: [
    async ({ page, _allowed }, provide) => {
      const problems: string[] = [];
      const record = (text: string) => {
        if (!_allowed.some((p) => p.test(text))) problems.push(text);
      };
      page.on("console", (msg) => {
        if (msg.type() === "error") record(`console.error: ${msg.text()} (${msg.location().url})`);
      });
      page.on("pageerror", (err) => record(`uncaught: ${err.message}`));
      await provide();
      expect(
        problems,
        "unexpected console errors in the page (use allowConsoleError if expected)",
      ).toEqual([]);
    },
    { auto: true },
  ],
  login: async ({ page }, provide) => {
    await provide(async (role) => {
      if (role === "user") {
        await signIn(page, DEMO_EMAILS.user, DEMO_PASSWORD);
        const demo = await testDb().user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.user } });
        return {
          id: demo.id,
          email: demo.email,
          name: demo.name,
          password: DEMO_PASSWORD,
          totpSecret: null,
        };
      }
      const staff = await makeStaff(role);
      await signIn(page, staff.email, staff.password, { totpSecret: staff.totpSecret });
      return staff;
    });
  },
});

export { expect };
