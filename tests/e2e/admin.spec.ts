import type { Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { DEMO_EMAILS, DEMO_PASSWORD, expect, signIn, test } from "./fixtures";

// What an admin does with people, seen in real browsers: each person has their own context.

async function clickNav(page: Page, name: string) {
  const menu = page.getByRole("button", { name: "Menu" });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("link", { name, exact: true }).first().click();
}

const created: { technicianId?: string; deactivatedId?: string } = {};

test.describe.serial("admin: users and the audit trail", () => {
  // Several people sign in (bcrypt on a shared 2-core machine): more than the default 30 s.
  test.describe.configure({ timeout: 90_000 });

  test("an admin creates a technician, who signs in, changes the one-time password and sees the staff queues", async ({
    page,
    browser,
    login,
  }) => {
    await login("admin");
    await page.goto("/admin/users/new");
    const email = `tech-${uniqueSuffix()}@example.test`;
    await page.getByLabel("Name").fill("Tia Technician");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role").selectOption("TECHNICIAN");
    await page.getByRole("button", { name: "Create user" }).click();
    const otp = (await page.getByTestId("otp").textContent())!.trim();
    expect(otp).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    created.technicianId = (await testDb().user.findUniqueOrThrow({ where: { email } })).id;

    const context = await browser.newContext();
    const tech = await context.newPage();
    await signIn(tech, email, otp);
    await expect(tech).toHaveURL(/\/account\/password$/);
    await tech.getByLabel("Current password").fill(otp);
    await tech.getByLabel(/^New password/).fill("quiet-harbour-lantern-42");
    await tech.getByLabel("Confirm new password").fill("quiet-harbour-lantern-42");
    await tech.getByRole("button", { name: "Change password" }).click();
    await expect(tech).not.toHaveURL(/\/account\/password/);
    await tech.goto("/tickets");
    await expect(tech.getByRole("navigation", { name: "Queues" })).toBeVisible();
    await context.close();
  });

  test("an admin deactivates a user whose open browser is refused on the next click", async ({
    page,
    browser,
    login,
  }) => {
    const victim = await makeUser(testDb(), { name: `Vic ${uniqueSuffix()}` });
    created.deactivatedId = victim.id;
    const context = await browser.newContext();
    const userPage = await context.newPage();
    await signIn(userPage, victim.email, victim.password);

    await login("admin");
    await page.goto(`/admin/users/${victim.id}`);
    await page.getByLabel(/^Your password/).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await page.getByRole("button", { name: "Deactivate" }).click();
    await page.getByRole("button", { name: "Yes, deactivate" }).click();
    await expect(page.getByTestId("form-success").first()).toContainText("deactivated");
    await expect(page.getByText("deactivated", { exact: true })).toBeVisible();

    await clickNav(userPage, "My tickets");
    await expect(userPage).toHaveURL(/\/login/);
    await context.close();
  });

  test("the audit viewer shows both events with the right actor", async ({ page, login }) => {
    await login("admin");
    const rows = page.getByTestId("audit-row");
    await page.goto(
      `/admin/audit?action=user.create&entityType=User&entityId=${created.technicianId}`,
    );
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByTestId("audit-actor")).toContainText(DEMO_EMAILS.admin);
    await page.goto(`/admin/audit?entityType=User&entityId=${created.deactivatedId}`);
    await expect(rows.filter({ hasText: "user.deactivate" })).toHaveCount(1);
    await expect(
      rows.filter({ hasText: "user.deactivate" }).getByTestId("audit-actor"),
    ).toContainText(`${DEMO_EMAILS.admin} (admin)`);
    // The detail page shows the readable before/after.
    await rows.filter({ hasText: "user.deactivate" }).getByRole("link").first().click();
    await expect(page.getByTestId("audit-diff")).toContainText("active");
  });
});
