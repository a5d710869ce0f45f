import { generateRecoveryCodes, hashRecoveryCode, recoveryCodeKey } from "@/lib/auth/mfa/recovery";
import { decodeMfaKey } from "@/lib/auth/mfa/key";
import { E2E_MFA_ENCRYPTION_KEY } from "./mfa-key";
import { testDb } from "./db";
import { expect, makeStaff, signIn, test } from "./fixtures";

const E2E_RECOVERY_KEY = recoveryCodeKey(decodeMfaKey(E2E_MFA_ENCRYPTION_KEY)!);

// Two-factor sign-in in a real browser: the code step, recovery codes that work once, and an
// admin's reset (fresh password confirmation, audited). Enrollment itself: admin.spec.ts.

async function passwordStep(
  page: import("@playwright/test").Page,
  email: string,
  password: string,
) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("two-factor sign-in", () => {
  test.describe.configure({ timeout: 90_000 });

  test("a wrong code is refused; a recovery code signs in once and is refused the second time", async ({
    browser,
  }) => {
    const tech = await makeStaff("technician");
    const [code] = generateRecoveryCodes(1);
    await testDb().mfaRecoveryCode.create({
      data: { userId: tech.id, codeHash: hashRecoveryCode(code!, E2E_RECOVERY_KEY) },
    });

    const first = await browser.newContext();
    const page = await first.newPage();
    await passwordStep(page, tech.email, tech.password);
    const input = page.getByLabel("Authentication code");
    await expect(input).toBeVisible({ timeout: 30_000 });
    await expect(input).toHaveAttribute("autocomplete", "one-time-code");
    await expect(input).toHaveAttribute("inputmode", "numeric");
    await expect(page).toHaveURL(/\/login/);
    await input.fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByTestId("form-error")).toContainText("not right");

    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(code!.toUpperCase());
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).not.toHaveURL(/\/login/, { timeout: 30_000 });
    await page.goto("/tickets");
    await expect(page.getByRole("navigation", { name: "Queues" })).toBeVisible();
    await first.close();

    const second = await browser.newContext();
    const again = await second.newPage();
    await passwordStep(again, tech.email, tech.password);
    await again.getByRole("button", { name: "Use a recovery code" }).click();
    await again.getByLabel("Recovery code").fill(code!);
    await again.getByRole("button", { name: "Verify" }).click();
    await expect(again.getByTestId("form-error")).toContainText("not right");
    await expect(again).toHaveURL(/\/login/);
    await second.close();

    const events = await testDb().auditEvent.findMany({
      where: { action: "auth.sign_in", entityId: tech.id },
      orderBy: { id: "asc" },
      select: { outcome: true, metadata: true },
    });
    expect(
      events.map((e) => [e.outcome, e.metadata as { reason?: string; factor?: string }]),
    ).toEqual([
      ["SUCCESS", expect.objectContaining({ step: "password" })],
      ["FAILED", expect.objectContaining({ reason: "wrong_code" })],
      ["SUCCESS", expect.objectContaining({ factor: "recovery" })],
      ["SUCCESS", expect.objectContaining({ step: "password" })],
      ["FAILED", expect.objectContaining({ reason: "replayed_code" })],
    ]);
  });

  test("an admin resets a user's MFA after a fresh password confirmation; the audit viewer shows it", async ({
    page,
    browser,
    login,
  }) => {
    const target = await makeStaff("technician");
    const targetContext = await browser.newContext();
    const targetPage = await targetContext.newPage();
    await signIn(targetPage, target.email, target.password, { totpSecret: target.totpSecret });

    const admin = await login("admin");
    await page.goto(`/admin/users/${target.id}`);
    await expect(page.getByText(/^On since /)).toBeVisible();
    await expect(page.getByRole("button", { name: "Reset MFA" })).toHaveCount(0);
    await page.getByLabel(/^Your password/).fill(admin.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await page.getByRole("button", { name: "Reset MFA" }).click();
    await page.getByRole("button", { name: "Yes, reset MFA" }).click();
    await expect(page.getByTestId("form-success").first()).toContainText("reset");
    await expect(page.getByText("Required — not set up")).toBeVisible();

    // Their sessions ended; signing in again leads straight to the setup.
    await targetPage.goto("/tickets");
    await expect(targetPage).toHaveURL(/\/login/);
    await signIn(targetPage, target.email, target.password);
    await expect(targetPage).toHaveURL(/\/account\/mfa$/);
    await targetContext.close();

    await page.goto(`/admin/audit?action=user.mfa_reset&entityType=User&entityId=${target.id}`);
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByTestId("audit-actor")).toContainText(admin.email);
  });
});
