import { makeUser } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// The keyboard flow (issue 11 §4): "?" lists the shortcuts, j/k move in a queue, Enter opens,
// r/n go to the reply box, Ctrl/Cmd+Enter sends and the focus stays in the box, a assigns to me,
// g u goes to Unassigned; none of it fires while typing in a field.

const freshWord = () =>
  `zq${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8)}`;

test("a technician triages from the keyboard: ?, j/k, Enter, r, Ctrl+Enter, n, a, g u @mobile", async ({
  page,
  login,
}) => {
  test.slow();
  const db = testDb();
  const word = freshWord();
  const requester = await makeUser(db, { name: `Keys ${word}` });
  const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
  for (const n of [1, 2, 3]) {
    await db.ticket.create({
      data: {
        title: `Keyboard ${word} ${n}`,
        description: `Keyword ${word}.`,
        categoryId: category.id,
        requesterId: requester.id,
      },
    });
  }
  const tech = await login("technician");
  await page.goto(`/tickets?q=${word}`);
  const rows = page.locator("[data-ticket-row]");
  await expect(rows).toHaveCount(3);

  // "?" opens the list of shortcuts in a modal dialog; Esc closes it.
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Go to the Unassigned queue");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // j/k move a visible selection; the selected row's link has the focus.
  await page.keyboard.press("j");
  await expect(rows.nth(0)).toHaveAttribute("data-selected", "true");
  await expect(rows.nth(0).locator('a[href^="/tickets/"]').first()).toBeFocused();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(rows.nth(2)).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("k");
  await expect(rows.nth(1)).toHaveAttribute("data-selected", "true");
  await expect(rows.nth(2)).not.toHaveAttribute("data-selected");
  const href = await rows.nth(1).locator('a[href^="/tickets/"]').first().getAttribute("href");

  // Enter opens the selected ticket.
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  const number = Number(href!.split("/").pop());
  const ticket = await db.ticket.findUniqueOrThrow({ where: { number } });

  // r: the caret in the reply box; typing "a" there is text, not "assign to me".
  // Staff reply in the one triage form (fields and reply, one submit).
  const form = page.getByTestId("triage-form");
  await page.keyboard.press("r");
  const message = form.getByRole("textbox", { name: "Message" });
  await expect(message).toBeFocused();
  await page.keyboard.type(`a reply from the keyboard ${word}`);
  await expect(message).toHaveValue(`a reply from the keyboard ${word}`);
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBeNull();

  // Ctrl+Enter sends; the focus stays in the (now empty) reply box.
  await page.keyboard.press("Control+Enter");
  // "Reply sent." or, on a NEW ticket the reply opens, "Reply sent; status saved."
  await expect(form.getByTestId("form-success")).toContainText("Reply sent");
  await expect(
    page.getByTestId("public-reply").filter({ hasText: `a reply from the keyboard ${word}` }),
  ).toBeVisible();
  await expect(message).toHaveValue("");
  await expect(message).toBeFocused();

  // n: internal note mode, caret in the note box.
  await message.blur();
  await page.keyboard.press("n");
  await expect(form).toHaveAttribute("data-mode", "internal");
  await expect(form.getByRole("textbox", { name: "Note" })).toBeFocused();
  await form.getByRole("textbox", { name: "Note" }).blur();

  // With a modifier, a key is the browser's, not ours: Alt+a assigns nothing.
  await page.keyboard.press("Alt+a");
  await expect(page.getByTestId("assign-shortcut-message")).toHaveText("");

  // a: assigned to me through the same action as "Take it".
  await page.keyboard.press("a");
  await expect(page.getByTestId("assign-shortcut-message")).toContainText("You took this ticket.");
  await expect
    .poll(async () => (await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId)
    .toBe(tech.id);
  await expect(page.getByRole("button", { name: "Take it" })).toHaveCount(0);

  // g then u: the Unassigned queue.
  await page.keyboard.press("g");
  await page.keyboard.press("u");
  await expect(page).toHaveURL(/\/tickets\?queue=unassigned$/);
});

test("a requester's keys: r focuses the reply box, Ctrl+Enter sends; staff keys do nothing @mobile", async ({
  page,
  login,
}) => {
  const user = await login("user");
  const db = testDb();
  const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
  const word = freshWord();
  const ticket = await db.ticket.create({
    data: {
      title: `Requester keys ${word}`,
      description: "d",
      categoryId: category.id,
      requesterId: user.id,
      status: "OPEN",
    },
  });
  await page.goto(`/tickets/${ticket.number}`);
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  // Only the shortcuts a requester can use are listed.
  await expect(dialog).not.toContainText("Assign the ticket to me");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.keyboard.press("r");
  const message = page.getByRole("textbox", { name: "Message" });
  await expect(message).toBeFocused();
  await page.keyboard.type(`Thanks ${word}`);
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(
    page.getByTestId("public-reply").filter({ hasText: `Thanks ${word}` }),
  ).toBeVisible();
  await expect(message).toBeFocused();
  await message.blur();
  // g u is a staff shortcut: nothing happens for a requester.
  await page.keyboard.press("g");
  await page.keyboard.press("u");
  await page.keyboard.press("a");
  await expect(page).toHaveURL(new RegExp(`/tickets/${ticket.number}$`));
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBeNull();
});
