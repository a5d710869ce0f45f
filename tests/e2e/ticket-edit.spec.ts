import { uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { DEMO_EMAILS, expect, test } from "./fixtures";

// Editing a ticket's title and description (the requester while NEW), the stale-edit message,
// and the admin's soft-delete, through the ticket page as people use it.

async function ticketFor(email: string, title: string) {
  const db = testDb();
  const requester = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const category = await db.category.findFirstOrThrow({
    where: { archived: false },
    select: { id: true },
  });
  return db.ticket.create({
    data: {
      title,
      description: "Before the edit.",
      categoryId: category.id,
      requesterId: requester.id,
    },
    select: { id: true, number: true },
  });
}

test.describe("editing and deleting tickets", () => {
  test("the requester edits a NEW ticket, a stale edit is refused without losing the text", async ({
    page,
    login,
  }) => {
    const ticket = await ticketFor(DEMO_EMAILS.user, `Monitor flickers ${uniqueSuffix()}`);
    await login("user");
    await page.goto(`/tickets/${ticket.number}`);

    await page.getByRole("button", { name: "Edit title and description" }).click();
    const form = page.getByRole("form", { name: "Edit ticket" });
    await form.getByLabel("Title").fill("Monitor flickers after lunch");
    await form.getByLabel("Description").fill("Only the **left** one.");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Ticket updated.")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(
      "Monitor flickers after lunch",
    );
    await expect(page.getByTestId("description").locator("strong")).toHaveText("left");

    // Someone else changes it while this person's form is open: no silent overwrite.
    await page.getByRole("button", { name: "Edit title and description" }).click();
    await form.getByLabel("Title").fill("My version of the title");
    await testDb().ticket.update({
      where: { id: ticket.id },
      data: { title: "Their version", version: { increment: 1 } },
    });
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByRole("alert")).toContainText("changed since you opened it");
    await expect(form.getByLabel("Title")).toHaveValue("My version of the title");
    const stored = await testDb().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.title).toBe("Their version");

    // Once the help desk picks it up, the requester can no longer edit it.
    await testDb().ticket.update({ where: { id: ticket.id }, data: { status: "OPEN" } });
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Their version");
    await expect(page.getByRole("button", { name: "Edit title and description" })).toHaveCount(0);
  });

  test("an admin deletes a ticket after confirming; it is gone for everyone and audited", async ({
    page,
    login,
    allowConsoleError,
  }) => {
    // The deleted ticket's page answers 404, which Chromium logs as a console error.
    allowConsoleError(/status of 404 \(Not Found\)/);
    const title = `Old laptop request ${uniqueSuffix()}`;
    const ticket = await ticketFor(DEMO_EMAILS.user, title);
    await login("admin");
    await page.goto(`/tickets/${ticket.number}`);
    const zone = page.getByTestId("ticket-delete");
    await zone.getByRole("button", { name: "Delete ticket" }).click();
    await zone.getByRole("button", { name: "Delete", exact: true }).click();

    await expect(page).toHaveURL(new RegExp(`/tickets\\?deleted=${ticket.number}$`));
    await expect(page.getByText(`Ticket #${ticket.number} was deleted.`)).toBeVisible();
    await expect(page.getByText(title)).toHaveCount(0);

    const gone = await page.goto(`/tickets/${ticket.number}`);
    expect(gone?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

    const db = testDb();
    const stored = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.deletedAt).not.toBeNull();
    const event = await db.auditEvent.findFirst({
      where: { action: "ticket.delete", entityId: ticket.id, outcome: "SUCCESS" },
    });
    expect(event?.actorRole).toBe("ADMIN");
  });
});
