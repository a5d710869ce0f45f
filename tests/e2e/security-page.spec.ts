import { uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// The admin Security page (issue 10 §6): an anomaly is listed and acknowledged, and the
// acknowledgement is in the audit trail; other roles never see the page.

test("an admin sees an anomaly on the Security page and acknowledges it (audited)", async ({
  page,
  login,
}) => {
  test.setTimeout(90_000);
  const admin = await login("admin");
  const tag = uniqueSuffix();
  const anomaly = await testDb().securityAnomaly.create({
    data: {
      rule: "password_spraying",
      key: `e2e-${tag}`,
      windowStart: new Date(),
      severity: "alert",
      summary: `Failed sign-ins for 12 accounts from 203.0.113.${tag.length} (${tag})`,
      details: {},
    },
  });

  const menu = page.getByRole("button", { name: "Menu", exact: true });
  await page.goto("/");
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("link", { name: "Security", exact: true }).first().click();
  await expect(page).toHaveURL(/\/admin\/security$/);
  const row = page.getByTestId("anomaly-row").filter({ hasText: tag });
  await expect(row).toBeVisible();
  await expect(row).toContainText("password_spraying");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  // Acknowledged anomalies leave the default (open) list.
  await expect(page.getByTestId("anomaly-row").filter({ hasText: tag })).toHaveCount(0);
  await page.getByRole("link", { name: "Show acknowledged too" }).click();
  await expect(page.getByTestId("anomaly-row").filter({ hasText: tag })).toContainText(
    `Acknowledged by ${admin.email}`,
  );
  const events = await testDb().auditEvent.findMany({
    where: { action: "security.anomaly_ack", entityId: anomaly.id.toString() },
  });
  expect(events.map((e) => [e.outcome, e.actorEmail])).toEqual([["SUCCESS", admin.email]]);
});

test("a technician is refused the Security page", async ({ page, login }) => {
  test.setTimeout(90_000);
  await login("technician");
  await page.goto("/admin/security");
  await expect(page).toHaveURL(/\/forbidden/);
});
