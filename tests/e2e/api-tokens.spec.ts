import { createHash } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, signIn, test } from "./fixtures";

// Issue 16 §2 (ADR 025): a person creates a personal access token on Account → API tokens, sees
// it once (copy, "you will not see it again"), finds it in the list by name and prefix, and
// revokes it (two steps). An admin creates a service account and its token on its page. Desktop
// and phone.

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Serious or critical axe findings on the page as it is. */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test.describe("API tokens", () => {
  test.describe.configure({ timeout: 90_000 });

  test("a person creates a token, sees it once, and revokes it", async ({ page }) => {
    const user = await makeUser(testDb(), { role: "USER" });
    await signIn(page, user.email, user.password);
    await page.goto("/account/tokens");
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

    const name = `Laptop script ${uniqueSuffix()}`;
    const form = page.getByRole("form", { name: "New API token" });
    await form.getByLabel("Name").fill(name);
    // A requester is offered only what the role allows: no user or audit scopes.
    await expect(form.getByRole("checkbox")).toHaveCount(3);
    await expect(form.getByText("users:read", { exact: true })).toHaveCount(0);
    await form.getByRole("checkbox", { name: /Read categories/ }).check();
    await form.getByLabel("Expires").selectOption("30");
    await form.getByRole("button", { name: "Create token" }).click();

    const once = page.getByTestId("token-once");
    await expect(once).toContainText("you will not see it again");
    expect(await axeProblems(page)).toEqual([]);
    const token = (await once.getByTestId("token-value").textContent())!.trim();
    expect(token).toMatch(/^tsr_pat_[0-9A-Za-z]{36}$/);
    const row = await testDb().apiToken.findFirstOrThrow({ where: { userId: user.id, name } });
    expect(row.secretHash).toBe(sha256(token));
    expect(row.scopes).toEqual(["tickets:read", "categories:read"]);
    await expect(once.getByRole("button", { name: "Copy token" })).toBeVisible();
    await once.getByRole("button", { name: "Done", exact: true }).click();
    await expect(once).toHaveCount(0);

    // Listed by name and prefix; the token itself is nowhere on the page, even after a reload.
    await page.reload();
    const item = page.getByTestId("token-row").filter({ hasText: name });
    await expect(item).toContainText(row.prefix);
    await expect(item).toContainText("categories:read");
    await expect(item).toContainText("Last used");
    expect(await page.content()).not.toContain(token);
    expect(await axeProblems(page)).toEqual([]);

    await item.getByRole("button", { name: "Revoke", exact: true }).click();
    await item.getByRole("button", { name: "Yes, revoke", exact: true }).click();
    await expect(page.getByText(`“${name}” was revoked.`)).toBeVisible();
    await expect(page.getByTestId("token-row").filter({ hasText: name })).toHaveCount(0);
    const revoked = await testDb().apiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(revoked.revokedAt).not.toBeNull();
  });

  test("an admin creates a service account and its token", async ({ page, login }) => {
    await login("admin");
    await page.goto("/admin/users/new-service");
    const name = `Monitoring ${uniqueSuffix()}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Role").selectOption("TECHNICIAN");
    await page.getByRole("button", { name: "Create service account" }).click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page.getByText("service account", { exact: true }).first()).toBeVisible();

    const form = page.getByRole("form", { name: "New API token" });
    await form.getByLabel("Name").fill("Alerts to tickets");
    await form.getByRole("checkbox", { name: /Write tickets/ }).check();
    await form.getByLabel("Expires").selectOption("never");
    await form.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("token-value").textContent())!.trim();
    const svc = await testDb().user.findFirstOrThrow({ where: { name } });
    expect(svc.kind).toBe("SERVICE");
    const row = await testDb().apiToken.findFirstOrThrow({ where: { userId: svc.id } });
    expect(row).toMatchObject({ secretHash: sha256(token), expiresAt: null });
    await page.getByRole("button", { name: "Done", exact: true }).click();
    await expect(
      page.getByTestId("token-row").filter({ hasText: "Alerts to tickets" }),
    ).toContainText("tickets:write");
  });
});
