import type { Page } from "@playwright/test";
import { makeUser } from "@/prisma/factories";
import { auditEmailHash } from "@/lib/auth/server-keys";
import { E2E_AUTH_SECRET } from "./mfa-key";
import { testDb } from "./db";
import { expect, makeStaff, signIn, test, type Role } from "./fixtures";
import { freshCode } from "./mfa";

const HOME_HEADINGS: Record<Role, string> = {
  admin: "Administration",
  technician: "Technician desk",
  user: "Your help desk",
};

async function clickSignOut(page: Page) {
  // Phones: the Menu panel; wider screens: the account menu (the user's name).
  const menu = page.getByRole("button", { name: "Menu" });
  if (await menu.isVisible()) await menu.click();
  else await page.getByRole("button", { name: /^Account menu for / }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
}

async function signInAttemptsFor(email: string) {
  return testDb().auditEvent.findMany({
    // An unknown account's attempt is audited by its keyed hash only (issue 10 §5).
    where: {
      action: "auth.sign_in",
      OR: [
        { metadata: { path: ["email"], equals: email } },
        { metadata: { path: ["emailHash"], equals: auditEmailHash(email, E2E_AUTH_SECRET) } },
      ],
    },
    select: { outcome: true, metadata: true, ip: true, userAgent: true },
  });
}

test.describe("sign-in and roles", () => {
  for (const role of ["admin", "technician", "user"] as const) {
    test(`${role} signs in and lands on their home`, async ({ page, login }) => {
      await login(role);
      await expect(page).toHaveURL(/\/$/);
      await expect(
        page.getByRole("heading", { level: 1, name: HOME_HEADINGS[role] }),
      ).toBeVisible();
    });
  }

  test("responses carry the security headers and no x-powered-by", async ({ request }) => {
    const response = await request.get("/login");
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["x-powered-by"]).toBeUndefined();
  });

  test("a user is refused the admin area", async ({ page, login }) => {
    await login("user");
    await page.goto("/admin/audit");
    await expect(page).toHaveURL(/\/forbidden$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("access");
  });

  test("an anonymous visitor is sent to sign in and back", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fusers$/);
    const admin = await makeStaff("admin");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Staff use two-factor authentication: the code step keeps the destination.
    await page.getByLabel("Authentication code").fill((await freshCode(admin.totpSecret)).code);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  });

  test("sign-out ends the session", async ({ page, login }) => {
    await login("technician");
    const cookiesBefore = await page.context().cookies();
    await clickSignOut(page);
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
    // A copy of the old session cookie is worthless after sign-out, even though it has not expired.
    await page.context().addCookies(cookiesBefore);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a deactivated user's still-valid cookie is refused", async ({ page }) => {
    const user = await makeUser(testDb());
    await signIn(page, user.email, user.password);
    await expect(page.getByRole("heading", { level: 1, name: HOME_HEADINGS.user })).toBeVisible();
    await testDb().user.update({ where: { id: user.id }, data: { active: false } });
    await page.reload();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });

  test("wrong password and unknown account get the same message and are both audited", async ({
    page,
  }) => {
    const user = await makeUser(testDb());
    const unknown = `nobody-${Date.now()}@example.test`;
    const messages: string[] = [];
    for (const [email, password] of [
      [user.email, "not-the-right-password"],
      [unknown, "not-the-right-password"],
    ]) {
      await page.goto("/login");
      await page.getByLabel("Email").fill(email!);
      await page.getByLabel("Password").fill(password!);
      await page.getByRole("button", { name: "Sign in" }).click();
      const error = page.getByTestId("form-error");
      await expect(error).toContainText("incorrect");
      messages.push((await error.textContent()) ?? "");
      await expect(page).toHaveURL(/\/login/);
    }
    expect(messages[0]).toBe(messages[1]);

    const wrong = await signInAttemptsFor(user.email);
    const missing = await signInAttemptsFor(unknown);
    expect(wrong).toHaveLength(1);
    expect(missing).toHaveLength(1);
    expect(wrong[0]).toMatchObject({ outcome: "FAILED", metadata: { reason: "wrong_password" } });
    expect(missing[0]).toMatchObject({
      outcome: "FAILED",
      metadata: { reason: "unknown_account" },
    });
    expect(wrong[0]?.userAgent).toContain("Mozilla");
  });
});
