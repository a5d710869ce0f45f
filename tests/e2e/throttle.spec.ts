import type { Page } from "@playwright/test";
import { makeUser } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// T4 in the browser: the login form asks for the proof-of-work CAPTCHA after 3 failures of an
// account and says "Try again in N seconds" once the account is locked (after 5). Per-account
// limits keep their defaults in playwright.config.ts; fresh accounts keep tests independent.

async function attempt(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const button = page.getByRole("button", { name: "Sign in" });
  // With the CAPTCHA shown, the button is enabled once the browser has solved it.
  await expect(button).toBeEnabled({ timeout: 30_000 });
  await button.click();
}

test.describe("sign-in throttling", () => {
  test("after 3 failures the CAPTCHA appears, solves itself, and sign-in works", async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const user = await makeUser(testDb());
    await page.goto("/login");
    await expect(page.getByTestId("captcha")).toHaveCount(0);
    for (let i = 0; i < 3; i++) {
      await attempt(page, user.email, "wrong-password-123");
      await expect(page.getByTestId("form-error")).toContainText("incorrect");
    }
    const captcha = page.getByTestId("captcha");
    await expect(captcha).toBeVisible();
    await expect(page.getByRole("group", { name: "Verification" })).toBeVisible();
    await attempt(page, user.email, user.password);
    await expect(page).not.toHaveURL(/\/login/);
  });

  test("after 5 failures the form says to try again in N seconds", async ({ page }) => {
    test.setTimeout(120_000);
    const user = await makeUser(testDb());
    await page.goto("/login");
    for (let i = 0; i < 5; i++) {
      await attempt(page, user.email, "wrong-password-123");
      await expect(page.getByTestId("form-error")).toContainText("incorrect");
    }
    await attempt(page, user.email, user.password);
    await expect(page.getByTestId("form-error")).toContainText(
      /Too many attempts\. Try again in \d+ seconds?\./,
    );
  });
});
