import type { Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { stepAt, totpCode } from "@/lib/auth/mfa/totp";
import { expect, signIn, test } from "./fixtures";

// What an admin does with people, seen in real browsers: each person has their own context.

async function clickNav(page: Page, name: string) {
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("link", { name, exact: true }).first().click();
}

const created: {
  technicianId?: string;
  deactivatedId?: string;
  creatorEmail?: string;
  deactivatorEmail?: string;
} = {};

test.describe.serial("admin: users and the audit trail", () => {
  // Several people sign in (bcrypt on a shared 2-core machine): more than the default 30 s.
  test.describe.configure({ timeout: 90_000 });

  test("an admin creates a technician, who signs in, changes the one-time password, must set up MFA, then sees the staff queues", async ({
    page,
    browser,
    login,
  }) => {
    // Two browsers, an enrollment and a wait for the next 30-second code step.
    test.setTimeout(180_000);
    created.creatorEmail = (await login("admin")).email;
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

    // Staff without MFA are sent to set it up and cannot reach the queues until they do.
    await expect(tech).toHaveURL(/\/account\/mfa$/);
    await tech.goto("/tickets");
    await expect(tech).toHaveURL(/\/account\/mfa$/);
    await tech.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await expect(
      tech.getByRole("img", { name: "QR code for your authenticator app" }),
    ).toBeVisible();
    const key = (await tech.getByTestId("mfa-manual-key").textContent())!.replace(/\s/g, "");
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    await tech.getByLabel("Password").fill("quiet-harbour-lantern-42");
    const enrollStep = stepAt(Date.now());
    await tech.getByLabel("Code from the app").fill(totpCode(key));
    await tech.getByRole("button", { name: "Turn on" }).click();
    const codes = tech.getByTestId("recovery-codes").getByRole("listitem");
    await expect(codes).toHaveCount(10);
    await expect(codes.first()).toHaveText(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    await tech.getByRole("button", { name: "I have saved them" }).click();
    // Turning MFA on ended every session, this one too: sign in again, with a code.
    await expect(tech).toHaveURL(/\/login\?mfaEnabled=1$/);
    await signIn(tech, email, "quiet-harbour-lantern-42", {
      totpSecret: key,
      afterStep: enrollStep,
    });
    await tech.goto("/tickets");
    await expect(tech.getByRole("navigation", { name: "Queues" })).toBeVisible();
    const row = await testDb().user.findUniqueOrThrow({ where: { email } });
    expect(row.mfaEnabledAt).not.toBeNull();
    // The code used to confirm is spent: the next sign-in takes a later one.
    const usedStep = stepAt(Date.now());
    await context.close();

    const again = await browser.newContext();
    const second = await again.newPage();
    await signIn(second, email, "quiet-harbour-lantern-42", {
      totpSecret: key,
      afterStep: usedStep,
    });
    await second.goto("/tickets");
    await expect(second.getByRole("navigation", { name: "Queues" })).toBeVisible();
    await again.close();
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

    const admin = await login("admin");
    created.deactivatorEmail = admin.email;
    await page.goto(`/admin/users/${victim.id}`);
    await page.getByLabel(/^Your password/).fill(admin.password);
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
    await expect(rows.first().getByTestId("audit-actor")).toContainText(created.creatorEmail!);
    await page.goto(`/admin/audit?entityType=User&entityId=${created.deactivatedId}`);
    await expect(rows.filter({ hasText: "user.deactivate" })).toHaveCount(1);
    await expect(
      rows.filter({ hasText: "user.deactivate" }).getByTestId("audit-actor"),
    ).toContainText(`${created.deactivatorEmail} (admin)`);
    // The detail page shows the readable before/after.
    await rows.filter({ hasText: "user.deactivate" }).getByRole("link").first().click();
    await expect(page.getByTestId("audit-diff")).toContainText("active");
    // The app's background sealer has chained the event (within seconds of its commit).
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("audit-sealed")).toContainText(/sealed at position \d+/, {
        timeout: 1_000,
      });
    }).toPass({ timeout: 30_000 });
    // Verify integrity: pending events are sealed first, then the chain is checked.
    await page.goto("/admin/audit");
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await expect(page.getByText(/^Intact: /)).toBeVisible({ timeout: 60_000 });
  });
});

test.describe("admin: instance settings", () => {
  // It narrows the server-wide attachment kinds for a while: no upload test may run meanwhile.
  test.use({ exclusive: true });

  test("an admin narrows the attachment kinds; the forms say so at once; then restores them", async ({
    page,
    login,
  }) => {
    await login("admin");
    try {
      await clickNav(page, "Settings");
      await expect(page).toHaveURL(/\/admin\/settings$/);
      // Hydrated before the boxes are touched: the form's first render would tick them again.
      await page.waitForLoadState("networkidle");
      const form = page.getByRole("form", { name: "Attachments" });
      await form.getByRole("checkbox", { name: /^Archives/ }).uncheck();
      await form.getByRole("checkbox", { name: /^Office documents/ }).uncheck();
      await form.getByRole("button", { name: "Save" }).click();
      await expect(page.getByTestId("form-success").first()).toContainText("Saved");
      await page.reload();
      await expect(form.getByRole("checkbox", { name: /^Archives/ })).not.toBeChecked();
      await expect(form.getByRole("checkbox", { name: /^Images/ })).toBeChecked();
      await expect(page.getByTestId("setting-source")).toContainText("Last saved");
      const row = await testDb().setting.findUniqueOrThrow({ where: { key: "attachments" } });
      expect(row.value).toEqual({ kinds: ["images", "pdf", "text"] });

      // The new-ticket form shows what is left before anything is picked.
      await page.goto("/tickets/new");
      await expect(page.getByTestId("attachment-picker")).toContainText(
        "images, PDF and text and logs only",
      );

      // None unchecked is refused by the shared schema, in the browser.
      await page.goto("/admin/settings");
      await page.waitForLoadState("networkidle");
      for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
      await expect(form.getByRole("checkbox", { checked: true })).toHaveCount(0);
      await form.getByRole("button", { name: "Save" }).click();
      await expect(form).toContainText("Allow at least one kind of file.");
      for (const box of await form.getByRole("checkbox").all()) await box.check();
      await form.getByRole("button", { name: "Save" }).click();
      await expect(page.getByTestId("form-success").first()).toContainText("Saved");
    } finally {
      // The suites after this one upload every kind: back to the default whatever happened.
      await testDb().setting.deleteMany({ where: { key: "attachments" } });
    }
  });
});
