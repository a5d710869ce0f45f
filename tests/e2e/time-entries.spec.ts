import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// Issue 15 §5: a technician logs time from the ticket sidebar and from the reply box; the totals
// follow; their own entry can be changed and removed.

test("log time in the sidebar and with a reply, edit and delete an entry", async ({
  page,
  login,
}) => {
  const tech = await login("technician");
  const db = testDb();
  const requester = await makeUser(db, { name: `Requester ${uniqueSuffix()}` });
  const category = await db.category.findFirstOrThrow({ where: { name: "Hardware" } });
  const ticket = await db.ticket.create({
    data: {
      title: `Monitor flickers ${uniqueSuffix()}`,
      description: "Since Monday.",
      categoryId: category.id,
      requesterId: requester.id,
      assigneeId: tech.id,
      status: "OPEN",
    },
    select: { id: true, number: true },
  });
  await page.goto(`/tickets/${ticket.number}`);
  const panel = page.getByTestId("time-panel");
  await expect(panel.getByTestId("time-totals")).toHaveText("Total 0 min · billable 0 min");

  const add = panel.getByRole("form", { name: "Log time" });
  await add.getByLabel("Time spent").fill("1h 30m");
  await add.getByLabel("Note (optional)").fill("Swapped the cable");
  await add.getByLabel("Billable").check();
  await add.getByRole("button", { name: "Log time" }).click();
  await expect(panel.getByTestId("time-totals")).toHaveText(
    "Total 1 h 30 min · billable 1 h 30 min",
  );
  await expect(panel.getByTestId("time-entry")).toContainText("Swapped the cable");

  const form = page.getByTestId("triage-form");
  await form.getByLabel("Message").fill("Checked the cable.");
  await form.getByLabel("Time spent (optional)").fill("15");
  await form.getByTestId("triage-submit").click();
  await expect(panel.getByTestId("time-totals")).toHaveText(
    "Total 1 h 45 min · billable 1 h 30 min",
  );

  const reply = panel.getByTestId("time-entry").filter({ hasText: "15 min" });
  await reply.getByRole("button", { name: "Edit" }).click();
  const edit = panel.getByRole("form", { name: "Change time entry" });
  await edit.getByLabel("Time spent").fill("0.5h");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByTestId("time-totals")).toHaveText("Total 2 h · billable 1 h 30 min");

  const half = panel.getByTestId("time-entry").filter({ hasNotText: "Swapped the cable" });
  await half.getByRole("button", { name: "Delete" }).click();
  await half.getByRole("button", { name: "Delete entry" }).click();
  await expect(panel.getByTestId("time-totals")).toHaveText(
    "Total 1 h 30 min · billable 1 h 30 min",
  );
  expect(await db.timeEntry.count({ where: { ticketId: ticket.id } })).toBe(1);
  const actions = await db.auditEvent.findMany({
    where: { entityType: "TimeEntry", actorId: tech.id },
    select: { action: true },
    orderBy: { id: "asc" },
  });
  expect(actions.map((a) => a.action)).toEqual([
    "time.logged",
    "time.logged",
    "time.updated",
    "time.deleted",
  ]);
});
