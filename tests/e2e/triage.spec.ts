import type { Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// Issue 11 §1: triage without losing work. One form for the fields and the reply, one submit;
// unsaved changes are marked and guarded; a stale edit shows what changed and keeps the reply;
// bulk status offers only common moves and names what it skipped.

async function newTicket(
  title: string,
  data: { status?: "NEW" | "OPEN"; assigneeId?: string } = {},
) {
  const db = testDb();
  const requester = await makeUser(db, { name: `Requester ${uniqueSuffix()}` });
  const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
  return db.ticket.create({
    data: {
      title,
      description: "Triage me.",
      categoryId: category.id,
      requesterId: requester.id,
      ...data,
    },
    select: { id: true, number: true },
  });
}

const details = (page: Page) => page.locator("dl").first();

test.describe("one-submit triage", () => {
  test("fields and reply in one submit; pending marked; leaving asks first @mobile", async ({
    page,
    login,
  }) => {
    const tech = await login("technician");
    const suffix = uniqueSuffix();
    const ticket = await newTicket(`Laptop keyboard ${suffix}`);
    const reply = `Replacing the keyboard today ${suffix}`;
    await page.goto(`/tickets/${ticket.number}`);
    const form = page.getByTestId("triage-form");

    // On every screen the triage fields come before the reply box.
    const fieldsBox = (await form.getByTestId("triage-fields").boundingBox())!;
    const replyBox = (await form.getByLabel("Message").boundingBox())!;
    expect(fieldsBox.y + fieldsBox.height).toBeLessThanOrEqual(replyBox.y);

    await form.getByLabel("Priority").selectOption("HIGH");
    await form.getByLabel("Category").selectOption({ label: "Hardware" });
    await form.getByLabel("Status", { exact: true }).selectOption("IN_PROGRESS");
    await expect(form.getByTestId("status-blocker")).toHaveText("In progress needs an assignee.");
    await expect(form.getByTestId("triage-submit")).toBeDisabled();
    // "Take it" with other changes pending joins them instead of dropping them.
    await form.getByRole("button", { name: "Take it" }).click();
    await expect(form.getByTestId("status-blocker")).toHaveCount(0);
    await expect(form.locator("[data-pending=true]")).toHaveCount(4);
    await expect(form.getByTestId("pending-summary")).toHaveText(
      "Unsaved: Status, Priority, Category, Assignee",
    );
    await expect(form.getByLabel("Priority")).toHaveValue("HIGH");
    // Nothing is saved yet: the summary at the top still shows the stored values.
    await expect(details(page)).toContainText("Medium");

    await form.getByLabel("Message").fill(reply);
    // An in-app link asks before leaving; dismissing keeps everything.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.getByRole("link", { name: "← Tickets" }).click();
    await expect(page).toHaveURL(new RegExp(`/tickets/${ticket.number}$`));
    await expect(form.getByLabel("Message")).toHaveValue(reply);

    await form.getByRole("button", { name: "Send and set In progress" }).click();
    await expect(form.getByTestId("form-success")).toHaveText(
      "Reply sent; priority, category, assignee, status saved.",
    );
    await expect(form.locator("[data-pending=true]")).toHaveCount(0);

    await page.reload();
    await expect(details(page)).toContainText("High");
    await expect(details(page)).toContainText("Hardware");
    await expect(details(page)).toContainText(tech.name);
    await expect(page.getByTestId("ticket-status")).toHaveText("In progress");
    await expect(page.getByTestId("public-reply").filter({ hasText: reply })).toBeVisible();
    const stored = await testDb().ticket.findUniqueOrThrow({
      where: { id: ticket.id },
      select: { version: true, priority: true, assigneeId: true, status: true },
    });
    // One submit, one version step.
    expect(stored).toEqual({
      version: 2,
      priority: "HIGH",
      assigneeId: tech.id,
      status: "IN_PROGRESS",
    });
  });

  test("a stale edit shows what changed and keeps the reply @mobile", async ({ page, login }) => {
    await login("technician");
    const suffix = uniqueSuffix();
    const ticket = await newTicket(`Printer offline ${suffix}`, { status: "OPEN" });
    const reply = `Please power-cycle the printer ${suffix}`;
    await page.goto(`/tickets/${ticket.number}`);
    const form = page.getByTestId("triage-form");
    await form.getByLabel("Category").selectOption({ label: "Hardware" });
    await form.getByLabel("Message").fill(reply);

    // Meanwhile someone else raises the priority: the page learns it by itself (live updates,
    // ADR 028) and says so before anything is sent.
    await expect(page.getByTestId("live-updates")).toHaveAttribute("data-live", "on");
    await testDb().ticket.update({
      where: { id: ticket.id },
      data: { priority: "URGENT", version: { increment: 1 } },
    });
    const notice = form.getByTestId("stale-notice");
    await expect(notice).toContainText("Priority: Medium → Urgent");
    await expect(form.getByTestId("form-error")).toHaveText("");
    await expect(form.getByLabel("Message")).toHaveValue(reply);

    await notice.getByRole("button", { name: "Reload and keep my reply" }).click();
    await expect(notice).toHaveCount(0);
    await expect(form.getByLabel("Message")).toHaveValue(reply);
    await expect(form.getByLabel("Priority")).toHaveValue("URGENT");
    await expect(form.getByLabel("Category")).toHaveValue(
      (await testDb().category.findFirstOrThrow({ where: { name: "Hardware" } })).id,
    );
    await form.getByRole("button", { name: "Send and save" }).click();
    await expect(form.getByTestId("form-success")).toHaveText("Reply sent; category saved.");
    await page.reload();
    await expect(page.getByTestId("public-reply").filter({ hasText: reply })).toBeVisible();
    await expect(details(page)).toContainText("Urgent");
    await expect(details(page)).toContainText("Hardware");
  });

  test("a closed ticket takes an internal note from staff, no reply", async ({ page, login }) => {
    await login("technician");
    const suffix = uniqueSuffix();
    const ticket = await newTicket(`Duplicate ${suffix}`);
    await testDb().ticket.update({
      where: { id: ticket.id },
      data: { status: "CLOSED", closedAt: new Date(), resolvedAt: new Date() },
    });
    await page.goto(`/tickets/${ticket.number}`);
    const form = page.getByTestId("triage-form");
    await expect(form.getByTestId("closed-note-only")).toBeVisible();
    await expect(form.getByLabel("Message")).toHaveCount(0);
    await form.getByLabel("Note", { exact: true }).fill(`Merged elsewhere ${suffix}`);
    await form.getByRole("button", { name: "Add internal note" }).click();
    await expect(form.getByTestId("form-success")).toHaveText("Internal note added.");
    await expect(
      page.getByTestId("internal-note").filter({ hasText: `Merged elsewhere ${suffix}` }),
    ).toBeVisible();
  });
});

test("bulk status offers only common moves, skips and names the rest, keeps the selection @mobile", async ({
  page,
  login,
}) => {
  const tech = await login("technician");
  const word = `zq${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8)}`;
  const assigned = await newTicket(`Bulk ${word} assigned`, {
    status: "OPEN",
    assigneeId: tech.id,
  });
  const unassigned = await newTicket(`Bulk ${word} unassigned`, { status: "OPEN" });
  const fresh = await newTicket(`Bulk ${word} new`);

  await page.goto(`/tickets?q=${word}`);
  await expect(page.getByTestId("ticket-row")).toHaveCount(3);
  const bulk = page.getByTestId("bulk-bar");
  const select = (number: number) => page.getByLabel(`Select #${number}`).check();
  const offered = () =>
    bulk
      .getByLabel("Set status of selected")
      .locator("option:not([disabled])")
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));

  await select(assigned.number);
  await select(fresh.number);
  // OPEN and NEW share these moves; ON_HOLD (not from NEW) is not offered.
  expect((await offered()).sort()).toEqual(["CLOSED", "IN_PROGRESS", "RESOLVED"]);
  await page.getByLabel(`Select #${fresh.number}`).uncheck();
  await select(unassigned.number);
  await expect(bulk).toContainText("2 selected");

  await bulk.getByLabel("Set status of selected").selectOption("IN_PROGRESS");
  await bulk.getByRole("button", { name: "Apply" }).click();
  await expect(bulk.getByTestId("form-success")).toHaveText("Updated 1 ticket. Skipped 1:");
  await expect(bulk.getByTestId("bulk-skipped")).toHaveText(
    `#${unassigned.number}: In progress needs an assignee.`,
  );
  await expect(bulk).toContainText("2 selected");
  const rows = await testDb().ticket.findMany({
    where: { id: { in: [assigned.id, unassigned.id] } },
    select: { id: true, status: true },
  });
  expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
    [assigned.id]: "IN_PROGRESS",
    [unassigned.id]: "OPEN",
  });
});
