import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { csatToken } from "@/lib/csat/token";
import { testDb } from "./db";
import { expect, signIn, test } from "./fixtures";
import { E2E_AUTH_SECRET } from "./mfa-key";

// Issue 15 §4: "How did we do?". A technician resolves a ticket; its requester answers on the
// ticket page; the technician sees the rating. The mailed link's page shows the choice and
// records nothing until Send.

async function assignedTicket(techId: string) {
  const db = testDb();
  const requester = await makeUser(db, { name: `Requester ${uniqueSuffix()}` });
  const category = await db.category.findFirstOrThrow({ where: { name: "Hardware" } });
  const ticket = await db.ticket.create({
    data: {
      title: `Printer jams ${uniqueSuffix()}`,
      description: "Every second page.",
      categoryId: category.id,
      requesterId: requester.id,
      assigneeId: techId,
      status: "OPEN",
    },
    select: { id: true, number: true },
  });
  return { requester, ticket };
}

test("a technician resolves, the requester answers Good, the technician sees it", async ({
  page,
  browser,
  login,
}) => {
  const tech = await login("technician");
  const { requester, ticket } = await assignedTicket(tech.id);
  const comment = `Quick and friendly ${uniqueSuffix()}`;

  await page.goto(`/tickets/${ticket.number}`);
  const form = page.getByTestId("triage-form");
  await form.getByLabel("Status", { exact: true }).selectOption("RESOLVED");
  await form.getByLabel("Message").fill("The roller was worn: replaced.");
  await form.getByTestId("triage-submit").click();
  await expect(page.locator("dl").first()).toContainText("Resolved");
  await expect(page.getByTestId("csat-results")).toContainText("Not answered yet");

  const context = await browser.newContext();
  const mine = await context.newPage();
  await signIn(mine, requester.email, requester.password);
  await mine.goto(`/tickets/${ticket.number}`);
  const panel = mine.getByTestId("csat-panel");
  await expect(panel.getByRole("heading", { name: "How did we do?" })).toBeVisible();
  await panel.getByText("Good", { exact: true }).click();
  await panel.getByLabel("Anything to add? (optional)").fill(comment);
  await panel.getByRole("button", { name: "Send" }).click();
  await expect(panel).toContainText("You rated this Good");
  await context.close();

  await page.reload();
  const results = page.getByTestId("csat-results");
  await expect(results).toContainText("Good");
  await expect(results.getByTestId("csat-comment")).toHaveText(comment);
  await expect(page.getByText("rated the help “Good”")).toBeVisible();
});

test("the mailed link: opening records nothing, Send records once", async ({ page }) => {
  const db = testDb();
  const tech = await makeUser(db, { role: "TECHNICIAN", mfa: false });
  const { ticket, requester } = await assignedTicket(tech.id);
  const resolvedAt = new Date();
  await db.ticket.update({ where: { id: ticket.id }, data: { status: "RESOLVED", resolvedAt } });
  const category = await db.category.findFirstOrThrow({ where: { name: "Hardware" } });
  const id = `csat_e2e_${uniqueSuffix()}`.replace(/[^A-Za-z0-9_]/g, "");
  const token = csatToken(id, E2E_AUTH_SECRET);
  const { createHash } = await import("node:crypto");
  await db.csatSurvey.create({
    data: {
      id,
      ticketId: ticket.id,
      requesterId: requester.id,
      assigneeId: tech.id,
      categoryId: category.id,
      resolvedAt,
      expiresAt: new Date(Date.now() + 86_400_000),
      tokenHash: createHash("sha256").update(token).digest("hex"),
    },
  });

  // Signed out, as from a mail client.
  await page.goto(`/csat/${token}?rating=okay`);
  await expect(page.getByText(`Ticket #${ticket.number} was resolved`)).toBeVisible();
  await expect(page.getByRole("radio", { name: "Okay" })).toBeChecked();
  expect(await db.csatSurvey.findUniqueOrThrow({ where: { id } })).toMatchObject({
    answeredAt: null,
  });
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Thank you for your answer.")).toBeVisible();
  expect(await db.csatSurvey.findUniqueOrThrow({ where: { id } })).toMatchObject({
    rating: "OKAY",
  });
  await page.goto(`/csat/${token}?rating=bad`);
  await expect(page.getByTestId("csat-link-message")).toHaveText(/already answered/);
});
