import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page, TestInfo } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// Issue 15 §3: canned responses. On a phone (and the desktop), a technician types "/" in the
// reply box, filters, picks a shared snippet, and the reply holds it with its placeholders filled
// (the requester's first name, the ticket's number, the agent's name); sent, it shows on the
// ticket. The "Insert response" button does the same by touch. Staff manage their own snippets on
// /canned-responses; technicians only read the shared ones.

async function newTicket(suffix: string) {
  const db = testDb();
  const requester = await makeUser(db, { name: `Zoë${suffix} Example` });
  const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
  const ticket = await db.ticket.create({
    data: {
      title: `Cannot sign in ${suffix}`,
      description: "My password stopped working.",
      categoryId: category.id,
      requesterId: requester.id,
    },
    select: { id: true, number: true },
  });
  return { ...ticket, firstName: `Zoë${suffix}` };
}

/** Serious or critical axe findings inside the staff form (the list open). */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .include('[data-testid="triage-form"]')
    .analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

/** A tap where the profile has touch (the phones), else a click. */
const press = (target: Locator, info: TestInfo) =>
  info.project.use.hasTouch ? target.tap() : target.click();

test.describe("canned responses", () => {
  test("a canned response inserted on a phone: / filters, Enter inserts it filled, sent @mobile", async ({
    page,
    login,
  }, testInfo) => {
    const suffix = uniqueSuffix();
    const db = testDb();
    await db.cannedResponse.createMany({
      data: [
        {
          title: `Password reset ${suffix}`,
          body: "Hi {{requester.firstName}},\n\nI reset the password of {{ ticket.number }}. {{agent.name}}",
        },
        { title: `Printer jam ${suffix}`, body: "Open tray 2, {{requester.firstName}}." },
      ],
    });
    const ticket = await newTicket(suffix);
    const tech = await login("technician");
    await page.goto(`/tickets/${ticket.number}`);
    const form = page.getByTestId("triage-form");
    const box = form.getByLabel("Message");

    await press(box, testInfo);
    await page.keyboard.type("/");
    const list = form.getByRole("listbox", { name: "Canned responses" });
    await expect(list).toBeVisible();
    await expect(box).toHaveAttribute("aria-activedescendant", /.+/);
    await page.keyboard.type(suffix);
    await expect(list.getByRole("option")).toHaveCount(2);
    expect(await axeProblems(page)).toEqual([]);
    await page.keyboard.type(" reset");
    await expect(list.getByRole("option")).toHaveCount(1);
    await expect(list.getByRole("option")).toContainText(`Password reset ${suffix}`);
    await page.keyboard.press("Enter");

    const filled = `Hi ${ticket.firstName},\n\nI reset the password of #${ticket.number}. ${tech.name}`;
    await expect(box).toHaveValue(filled);
    await expect(list).toHaveCount(0);
    await expect(box).toBeFocused();

    // Escape closes the list and leaves what was typed.
    await page.keyboard.type("\n/zzz");
    await expect(form.getByTestId("canned-picker")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(form.getByTestId("canned-picker")).toHaveCount(0);
    await expect(box).toHaveValue(`${filled}\n/zzz`);
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");

    // The button, by touch: a search box over the list; the pick goes in at the caret.
    await press(form.getByRole("button", { name: "Insert response" }), testInfo);
    const search = form.getByRole("combobox", { name: "Search canned responses" });
    await expect(search).toBeFocused();
    expect(await axeProblems(page)).toEqual([]);
    await search.fill(`printer ${suffix}`);
    await press(form.getByRole("option", { name: new RegExp(`Printer jam ${suffix}`) }), testInfo);
    const reply = `${filled}\nOpen tray 2, ${ticket.firstName}.`;
    await expect(box).toHaveValue(reply);
    await expect(box).toBeFocused();

    await form.getByRole("button", { name: "Send reply" }).click();
    // A reply on a new ticket also opens it: "Reply sent; status saved."
    await expect(form.getByTestId("form-success")).toHaveText(/^Reply sent/);
    const sent = page.getByTestId("public-reply").filter({ hasText: `Open tray 2` });
    await expect(sent).toContainText(`I reset the password of #${ticket.number}.`);
    await expect(sent).toContainText(`Hi ${ticket.firstName},`);
    const comment = await db.ticketComment.findFirstOrThrow({
      where: { ticketId: ticket.id },
      select: { body: true, internal: true, authorId: true },
    });
    expect(comment).toEqual({ body: reply, internal: false, authorId: tech.id });
  });

  test("staff keep their own snippets; technicians read shared ones, admins change them", async ({
    page,
    login,
  }) => {
    const suffix = uniqueSuffix();
    const shared = await testDb().cannedResponse.create({
      data: { title: `Shared greeting ${suffix}`, body: "Hello from the help desk." },
    });
    await login("technician");
    await page.goto("/canned-responses");
    const sharedList = page.getByTestId("canned-shared");
    const item = sharedList.getByTestId("canned-item").filter({ hasText: shared.title });
    await expect(item).toBeVisible();
    await expect(item.getByRole("button", { name: /Edit/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "New shared response" })).toHaveCount(0);

    const create = page.getByRole("form", { name: "New personal response" });
    await create.getByLabel("Title").fill(`My signature ${suffix}`);
    await create.getByLabel("Text").fill("Cheers, {{agent.firstName}}");
    await create.getByRole("button", { name: "Add response" }).click();
    const mine = page
      .getByTestId("canned-own")
      .getByTestId("canned-item")
      .filter({ hasText: `My signature ${suffix}` });
    await expect(mine).toBeVisible();
    await mine.getByRole("button", { name: `Edit My signature ${suffix}` }).click();
    const edit = page.getByRole("form", { name: `Edit My signature ${suffix}` });
    await edit.getByLabel("Title").fill(`Signature ${suffix}`);
    await edit.getByRole("button", { name: "Save" }).click();
    const renamed = page
      .getByTestId("canned-own")
      .getByTestId("canned-item")
      .filter({
        hasText: `Signature ${suffix}`,
      });
    await expect(renamed).toBeVisible();
    await renamed.getByRole("button", { name: "Delete" }).click();
    await renamed.getByRole("button", { name: `Delete Signature ${suffix}` }).click();
    await expect(page.getByText(`Signature ${suffix}`)).toHaveCount(0);
    expect(await testDb().cannedResponse.count({ where: { title: { contains: suffix } } })).toBe(1);

    // An admin adds and edits shared ones.
    await page.context().clearCookies();
    await login("admin");
    await page.goto("/canned-responses");
    const createShared = page.getByRole("form", { name: "New shared response" });
    await createShared.getByLabel("Title").fill(`Outage ${suffix}`);
    await createShared.getByLabel("Text").fill("We are on it, {{requester.firstName}}.");
    await createShared.getByRole("button", { name: "Add shared response" }).click();
    const outage = page
      .getByTestId("canned-shared")
      .getByTestId("canned-item")
      .filter({
        hasText: `Outage ${suffix}`,
      });
    await outage.getByRole("button", { name: `Edit Outage ${suffix}` }).click();
    const editShared = page.getByRole("form", { name: `Edit Outage ${suffix}` });
    await editShared.getByLabel("Text").fill("Fixed, {{requester.firstName}}.");
    await editShared.getByRole("button", { name: "Save" }).click();
    await expect(outage).toContainText("Fixed, {{requester.firstName}}.");
    const row = await testDb().cannedResponse.findFirstOrThrow({
      where: { title: `Outage ${suffix}` },
    });
    expect(row).toMatchObject({ ownerId: null, body: "Fixed, {{requester.firstName}}." });
  });
});
