import { test as base, expect, type Page } from "@playwright/test";

// Import `test` and `expect` from here, not from @playwright/test:
//   import { test, expect } from "./fixtures";
//   test("admin sees users", async ({ page, login }) => { await login("admin"); ... });
// Every test fails on a console error or uncaught exception in the page unless it calls
// allowConsoleError(/pattern/) first (e.g. the browser's "Failed to load resource: 403" line
// when a test checks that a forbidden request is refused).

export type Role = "admin" | "technician" | "user";

export const DEMO_PASSWORD = "tessera-demo-password";
export const DEMO_EMAILS: Record<Role, string> = {
  admin: "admin@demo.tessera",
  technician: "tech@demo.tessera",
  user: "user@demo.tessera",
};

/** Signs in through the real login form, as a person would. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // bcrypt plus the first request of a cold server: allow more than the default 10 s.
  await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 30_000 });
}

type Fixtures = {
  login: (role: Role) => Promise<void>;
  allowConsoleError: (pattern: RegExp) => void;
  consoleGuard: void;
};

export const test = base.extend<Fixtures & { _allowed: RegExp[] }>({
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
    await provide((role) => signIn(page, DEMO_EMAILS[role], DEMO_PASSWORD));
  },
});

export { expect };
