import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { makeCategory, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// Service levels (issue 15): an admin sets up business hours with a lunch break and a policy for
// urgent tickets. The policy is limited to a category of its own, so no other test's ticket
// matches it while it exists.

/** Serious or critical axe findings on the page as it is now (the a11y suite's bar). */
async function blockingA11y(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test("an admin creates a calendar with a lunch break and a policy for urgent tickets", async ({
  page,
  login,
}) => {
  await login("admin");
  const tag = uniqueSuffix();
  const category = await makeCategory(testDb(), { name: `SLA e2e ${tag}` });
  // The longest name a category may have, without a space: the form must not grow wider than the
  // screen (CI once had the XSS suite's payload categories push the submit button off the phone).
  const longName = `SLA-${tag}-`.padEnd(60, "W");
  const long = await makeCategory(testDb(), { name: longName });
  const calendarName = `Office hours ${tag}`;
  const policyName = `Urgent ${tag}`;
  try {
    await page.goto("/admin/service-levels");
    await expect(page.getByRole("heading", { name: "Service levels", level: 1 })).toBeVisible();
    await expect(page.getByTestId("policy-row").filter({ hasText: "Default" })).toContainText(
      "every other ticket",
    );

    await page.getByRole("link", { name: "New calendar", exact: true }).click();
    const form = page.getByRole("form", { name: "Calendar" });
    await form.getByLabel(/^Name/).fill(calendarName);
    await form.getByLabel("Time zone").selectOption("Europe/Berlin");
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) {
      await form.getByLabel(day).fill("09:00–12:00, 13:00–17:30");
    }
    // A typo is refused on its field before anything is sent.
    await form.getByLabel("Saturday").fill("9 to 5");
    await form.getByRole("button", { name: "Create calendar" }).click();
    await expect(form).toContainText("Use HH:MM–HH:MM");
    await form.getByLabel("Saturday").fill("");
    await form.getByRole("button", { name: "Create calendar" }).click();
    await expect(page).toHaveURL(/\/admin\/service-levels\/calendars\/(?!new$)[^/]+$/);
    await expect(page.getByRole("heading", { name: calendarName, level: 1 })).toBeVisible();
    expect(await blockingA11y(page)).toEqual([]);

    const holiday = page.getByRole("form", { name: "Add a holiday" });
    await holiday.getByLabel("Date").fill("2026-12-24");
    await holiday.getByLabel(/^Name/).fill("Christmas Eve");
    await holiday.getByRole("button", { name: "Add holiday" }).click();
    await expect(page.getByTestId("holiday-row")).toContainText(["Christmas Eve"]);

    const calendar = await testDb().businessCalendar.findUniqueOrThrow({
      where: { name: calendarName },
      include: { holidays: true },
    });
    expect(calendar.windows).toContainEqual({ day: 1, start: 540, end: 720 });
    expect(calendar.windows).toContainEqual({ day: 5, start: 780, end: 1050 });
    expect(calendar.holidays.map((h) => h.date.toISOString().slice(0, 10))).toEqual(["2026-12-24"]);

    await page.getByRole("link", { name: "Service levels" }).first().click();
    await page.getByRole("link", { name: "New policy", exact: true }).click();
    const policy = page.getByRole("form", { name: "Policy" });
    await expect(policy).toBeVisible();
    expect(await blockingA11y(page)).toEqual([]);
    await policy.getByLabel(/^Name/).fill(policyName);
    await policy.getByLabel(/^Calendar/).selectOption({ label: calendarName });
    await policy.getByRole("checkbox", { name: "Urgent", exact: true }).check();
    await policy.getByRole("checkbox", { name: category.name, exact: true }).check();
    // Every category's checkbox and name stay inside the form (the page itself may clip what
    // sticks out, so its scroll width proves nothing).
    const outside = await policy.evaluate((form) => {
      const right = form.getBoundingClientRect().right;
      return [...form.querySelectorAll("fieldset label")]
        .filter((label) => label.getBoundingClientRect().right > right + 1)
        .map((label) => label.textContent);
    });
    expect(outside, "category names wider than the policy form").toEqual([]);
    await policy.getByLabel("First response: hours").fill("1");
    await policy.getByLabel("First response: minutes").fill("30");
    await policy.getByLabel("Resolution: hours").fill("8");
    await policy.getByRole("button", { name: "Create policy" }).click();
    await expect(page).toHaveURL(/\/admin\/service-levels$/);
    const row = page.getByTestId("policy-row").filter({ hasText: policyName });
    await expect(row).toContainText("priority urgent");
    await expect(row).toContainText("first response 1 h 30 min");
    await expect(row).toContainText("resolution 8 h");
    expect(await blockingA11y(page)).toEqual([]);

    const saved = await testDb().slaPolicy.findUniqueOrThrow({ where: { name: policyName } });
    expect(saved).toMatchObject({
      priorities: ["URGENT"],
      categoryIds: [category.id],
      calendarId: calendar.id,
      firstResponseMinutes: 90,
      nextResponseMinutes: null,
      resolutionMinutes: 480,
      atRiskPercent: 20,
    });
    const audited = await testDb().auditEvent.count({
      where: {
        action: { in: ["sla.calendar.created", "sla.calendar.updated", "sla.policy.created"] },
        entityId: { in: [calendar.id, saved.id] },
      },
    });
    expect(audited).toBe(3);
  } finally {
    await testDb().slaPolicy.deleteMany({ where: { name: policyName } });
    await testDb().businessCalendar.deleteMany({ where: { name: calendarName } });
    await testDb().category.update({ where: { id: long.id }, data: { archived: true } });
  }
});
