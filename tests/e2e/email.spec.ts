import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { waitForMail } from "@/tests/support/mail";
import { testDb } from "./db";
import { expect, makeStaff, signIn, test } from "./fixtures";

// Issue 14 §1 in the real app: filing a ticket through the form makes the background loop's
// notification job mail the requester (read back from the test SMTP server), and an admin finds
// that mail, its status and its text on the Email page.
test("a requester gets the confirmation by email and an admin sees it on the Email page", async ({
  page,
  browser,
}) => {
  const user = await makeUser(testDb(), { name: `Mailed ${uniqueSuffix()}` });
  await signIn(page, user.email, user.password);
  const title = `Monitor flickers ${uniqueSuffix()}`;
  await page.goto("/tickets/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Category").selectOption({ label: "Hardware" });
  await page.getByLabel("Description").fill("Since the update it flickers <b>every</b> minute.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page).toHaveURL(/\/tickets\/\d+\?created=1$/);
  const number = /\/tickets\/(\d+)/.exec(page.url())![1];

  const [mail] = await waitForMail(user.email, 1, 30_000);
  expect(mail!.subject).toBe(`[#${number}] ${title}`);
  expect(mail!.text).toContain(`We received your ticket #${number}`);
  expect(mail!.html).toContain(`/tickets/${number}`);
  expect(mail!.headers.get("auto-submitted")).toBe("auto-generated");

  const context = await browser.newContext();
  const admin = await context.newPage();
  const staff = await makeStaff("admin");
  await signIn(admin, staff.email, staff.password, { totpSecret: staff.totpSecret });
  await admin.goto(`/admin/email?to=${encodeURIComponent(user.email)}`);
  const row = admin.getByTestId("email-row").filter({ hasText: title });
  await expect(row).toContainText("Sent");
  await row.getByRole("link", { name: `[#${number}] ${title}` }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`[#${number}] ${title}`);
  await expect(admin.getByText("ticket_received")).toBeVisible();
  await expect(admin.locator("pre")).toContainText("We received your ticket");
  await context.close();
});
