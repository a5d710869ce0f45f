import type { Browser, Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, makeStaff, signIn, test } from "./fixtures";

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, "page is wider than the viewport").toBeLessThanOrEqual(innerWidth);
}

/** The requester files a ticket through the form, as a person would; returns its URL. */
async function submitTicket(page: Page, title: string, description: string): Promise<string> {
  await page.goto("/tickets");
  await expect(page.getByRole("heading", { level: 1, name: "My tickets" })).toBeVisible();
  await page.getByRole("link", { name: "New ticket" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New ticket" })).toBeVisible();
  await expectNoHorizontalScroll(page);

  // Instant field errors from the shared schema, no round trip.
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText("At least 3 characters.")).toBeVisible();

  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Category").selectOption({ label: "Hardware" });
  await page.getByLabel("Description").fill(description);
  const submit = page.getByRole("button", { name: "Submit ticket" });
  expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await submit.click();

  await expect(page).toHaveURL(/\/tickets\/\d+\?created=1$/);
  await expect(page.getByTestId("created-message")).toContainText("was created");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  return new URL(page.url()).pathname;
}

async function staffPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const tech = await makeStaff("technician");
  await signIn(page, tech.email, tech.password, { totpSecret: tech.totpSecret });
  return page;
}

test.describe("tickets", () => {
  test("a user submits a ticket from any screen; Markdown stays inert @mobile", async ({
    page,
    login,
  }) => {
    await login("user");
    const title = `Printer jams ${uniqueSuffix()}`;
    await submitTicket(
      page,
      title,
      'It **jams** on page 2.\n\n<script>window.__xss = 1</script>\n\n<img src=x onerror="window.__xss = 2">\n\n[click me](javascript:window.__xss=3)',
    );
    const description = page.getByTestId("description");
    await expect(description.locator("strong")).toHaveText("jams");
    await expect(description).toContainText("<script>window.__xss = 1</script>");
    await expect(description).toContainText('<img src=x onerror="window.__xss = 2">');
    await expect(description.locator("img, script")).toHaveCount(0);
    await expect(description.getByRole("link")).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await expectNoHorizontalScroll(page);

    // The new ticket is listed under My tickets.
    await page.goto("/tickets");
    await expect(page.getByRole("link", { name: title })).toBeVisible();
    await expectNoHorizontalScroll(page);
  });

  test("technician takes it from Unassigned, notes, replies, resolves; the user sees only the reply and reopens @mobile", async ({
    page,
    login,
    browser,
  }) => {
    test.slow(); // two sessions and a dozen server round trips
    await login("user");
    const suffix = uniqueSuffix();
    const title = `VPN drops ${suffix}`;
    const ticketPath = await submitTicket(page, title, "The VPN drops every 10 minutes.");
    const note = `Internal: probably the old client ${suffix}`;
    const reply = `Please update the VPN client to 5.2 ${suffix}`;

    const tech = await staffPage(browser);
    await tech.goto("/tickets");
    await tech
      .getByRole("navigation", { name: "Queues" })
      .getByRole("link", { name: /Unassigned/ })
      .click();
    await expect(tech).toHaveURL(/queue=unassigned/);
    await tech.getByRole("link", { name: title }).click();
    await expect(tech.getByRole("heading", { level: 1 })).toContainText(title);

    // One form (issue 11 §1): nothing else pending, so "Take it" saves at once.
    const form = tech.getByTestId("triage-form");
    await form.getByRole("button", { name: "Take it" }).click();
    await expect(form.getByTestId("form-success")).toHaveText("Assignee, status saved.");
    await expect(tech.getByRole("button", { name: "Take it" })).toHaveCount(0);

    await form.getByText("Internal note", { exact: true }).click();
    await expect(form).toHaveAttribute("data-mode", "internal");
    await expect(form.getByTestId("internal-warning")).toHaveText(
      /Internal note — not visible to the requester/,
    );
    await form.getByRole("textbox", { name: "Note" }).fill(note);
    await form.getByRole("button", { name: "Add internal note" }).click();
    await expect(form.getByTestId("form-success")).toHaveText("Internal note added.");
    await expect(tech.getByTestId("internal-note").filter({ hasText: note })).toBeVisible();

    // The reply and the resolution in one submit.
    await form.getByText("Public reply", { exact: true }).click();
    await expect(form).toHaveAttribute("data-mode", "public");
    await form.getByRole("textbox", { name: "Message" }).fill(reply);
    await form.getByLabel("Status", { exact: true }).selectOption("RESOLVED");
    await form.getByRole("button", { name: "Send and set Resolved" }).click();
    await expect(form.getByTestId("form-success")).toHaveText("Reply sent; status saved.");
    await expect(tech.getByTestId("public-reply").filter({ hasText: reply })).toBeVisible();
    await expect(tech.getByTestId("ticket-status")).toHaveText("Resolved");
    // The timeline shows the changes taken from the audit trail.
    await expect(
      tech.getByTestId("timeline-change").filter({ hasText: "to Resolved" }),
    ).toBeVisible();
    await tech.context().close();

    // The requester: the reply, never the note.
    await page.goto(ticketPath);
    await expect(page.getByTestId("public-reply").filter({ hasText: reply })).toBeVisible();
    await expect(page.getByText(note)).toHaveCount(0);
    await expect(page.getByTestId("internal-note")).toHaveCount(0);
    await expect(page.getByTestId("timeline-change")).toHaveCount(0);
    await expect(page.getByTestId("ticket-status")).toHaveText("Resolved");
    await expectNoHorizontalScroll(page);

    // "No, it still happens" asks what is still wrong; that reply reopens the ticket.
    await page.getByRole("button", { name: "No, it still happens" }).click();
    const stillWrong = `Still drops after the update ${suffix}`;
    await page.getByRole("textbox", { name: "What is still wrong?" }).fill(stillWrong);
    await page.getByRole("button", { name: "Send and reopen" }).click();
    await expect(page.getByTestId("requester-actions").getByTestId("form-success")).toHaveText(
      "Ticket reopened. The help desk will read your reply.",
    );
    await expect(page.getByTestId("ticket-status")).toHaveText("Open");
    await expect(page.getByTestId("public-reply").filter({ hasText: stillWrong })).toBeVisible();
  });

  test("staff search, keyset pages and bulk actions keep their state in the URL", async ({
    page,
    login,
  }) => {
    test.slow();
    const db = testDb();
    // A word no other ticket contains, letters only so the search parser keeps it whole.
    const word = `zq${Math.random()
      .toString(36)
      .replace(/[^a-z]/g, "")
      .slice(0, 8)}`;
    const requester = await makeUser(db, { name: `Requester ${word}` });
    const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
    for (const n of [1, 2, 3]) {
      await db.ticket.create({
        data: {
          title: `Editor crashes ${word} ${n}`,
          description: `The editor crashes when saving. Keyword ${word} in the text.`,
          categoryId: category.id,
          requesterId: requester.id,
        },
      });
    }

    const tech = await login("technician");
    await page.goto(`/tickets?q=${word}&limit=2`);
    await expect(page.getByTestId("ticket-row")).toHaveCount(2);
    await expect(page.getByTestId("snippet").first().locator("mark")).toHaveText(word);
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page).toHaveURL(new RegExp(`q=${word}`));
    await expect(page.getByTestId("ticket-row")).toHaveCount(1);
    await expect(page.getByRole("link", { name: `Editor crashes ${word} 1` })).toBeVisible();

    await page.goto(`/tickets?q=${word}`);
    await expect(page.getByTestId("ticket-count")).toHaveText("3 tickets");
    // The bulk bar shows once something is selected (the table header's checkbox).
    const bulk = page.getByTestId("bulk-bar");
    await expect(bulk).toHaveCount(0);
    await page.getByLabel("Select all on this page").check();
    await expect(bulk).toContainText("3 selected");
    await bulk.getByRole("button", { name: "Assign" }).click();
    await expect(bulk.getByTestId("form-success")).toHaveText("Updated 3 tickets.");
    await expect(page.locator("[data-ticket-row]").filter({ hasText: tech.name })).toHaveCount(3);

    // The selection stays for the next action.
    await expect(bulk).toContainText("3 selected");
    await bulk.getByLabel("Set status of selected").selectOption("IN_PROGRESS");
    await bulk.getByRole("button", { name: "Apply" }).click();
    await expect(bulk.getByTestId("form-success")).toHaveText("Updated 3 tickets.");
    const rows = await db.ticket.findMany({
      where: { requesterId: requester.id },
      select: { status: true, assignee: { select: { email: true } } },
    });
    expect(rows.map((r) => [r.status, r.assignee?.email])).toEqual(
      Array(3).fill(["IN_PROGRESS", tech.email]),
    );

    // Filters are links too: the requester filter narrows to this person's tickets.
    await page.getByRole("link", { name: requester.name }).first().click();
    await expect(page).toHaveURL(new RegExp(`requester=${requester.id}`));
    await expect(page.getByTestId("ticket-row")).toHaveCount(3);
  });
  test("search opens a ticket by number, finds a requester by name, marks unread, explains empty results @mobile", async ({
    page,
    login,
  }) => {
    const db = testDb();
    const word = `zq${Math.random()
      .toString(36)
      .replace(/[^a-z]/g, "")
      .slice(0, 8)}`;
    const requester = await makeUser(db, { name: `Pat Searchable${word}` });
    const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
    const [first] = await Promise.all(
      ["Mail client hangs", "Calendar empty"].map((title) =>
        db.ticket.create({
          data: {
            title,
            description: "Nothing names the person.",
            categoryId: category.id,
            requesterId: requester.id,
          },
        }),
      ),
    );

    await login("technician");
    await page.goto("/tickets");
    const search = page.getByLabel("Search tickets");

    // A number, with or without "#", opens that ticket.
    await search.fill(`#${first!.number}`);
    await search.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/tickets/${first!.number}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Mail client hangs");

    // A requester's name finds their tickets, though no ticket text contains it. The one just
    // opened is read; the other is still marked unread (bold, a dot, "Unread" for screen readers).
    await page.goto("/tickets");
    await search.fill(`Searchable${word}`);
    await search.press("Enter");
    await expect(page.getByTestId("ticket-row")).toHaveCount(2);
    const opened = page.getByRole("link", { name: /Mail client hangs/ });
    const other = page.getByRole("link", { name: /Calendar empty/ });
    await expect(opened).not.toHaveAttribute("data-unread");
    await expect(other).toHaveAttribute("data-unread", "true");
    await expect(other).toHaveAccessibleName(/^Unread: /);
    // The row carries the mark too (one element per ticket, for keyboard navigation).
    await expect(
      page.locator(`[data-ticket-row][data-ticket-number="${first!.number}"]`),
    ).not.toHaveAttribute("data-unread");
    await expect(page.locator("[data-ticket-row][data-unread=true]")).toHaveCount(1);

    // Filters that cannot match together say so.
    await page.goto("/tickets?queue=unassigned&assignee=me");
    await expect(page.getByText("These filters cannot match together")).toBeVisible();
  });
});
