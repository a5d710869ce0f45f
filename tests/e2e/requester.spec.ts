import type { Browser, Page } from "@playwright/test";
import { makeUser } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, makeStaff, signIn, test } from "./fixtures";

// The requester's side (issue 11 §5): long unbroken titles never widen a page at 360 px, the
// answer to a resolution, and "Report a follow-up" on a closed ticket.

const NARROW = { width: 360, height: 740 };

/** A word no other ticket holds (letters only, so search keeps it whole). */
const freshWord = () =>
  `zq${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8)}`;

/** 200 characters, not one space. */
const unbroken = (word: string, n: number) => `Unbroken${n}${word}`.padEnd(200, "W");

/**
 * The page is no wider than 360 px, and every piece of a long title on it is inside the viewport:
 * wrapped, not clipped by an overflow-hidden box (a title cut off with an ellipsis counts only
 * when the full title is in a tooltip).
 */
async function expectFits(page: Page, what: string, word: string) {
  await page.waitForLoadState("load");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what}: the page is ${width}px wide at 360px`).toBeLessThanOrEqual(360);
  const { bad: outside, checked } = await page.evaluate((marker) => {
    const bad: string[] = [];
    let checked = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.includes(marker)) continue;
      const parent = node.parentElement!;
      if (parent.closest("[hidden], dialog:not([open]), .sr-only, option, title, textarea")) {
        continue;
      }
      // Inside a box that scrolls sideways (a wide table) the text is reachable: fine.
      let scroller: Element | null = parent;
      while (scroller && !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) {
        scroller = scroller.parentElement;
      }
      if (scroller && scroller !== document.documentElement) continue;
      const truncated = parent.closest<HTMLElement>("[title]");
      if (truncated?.title.includes(marker)) continue;
      checked += 1;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        if (rect.left < -0.5 || rect.right > window.innerWidth + 0.5) {
          bad.push(
            `${parent.tagName.toLowerCase()} ${Math.round(rect.left)}..${Math.round(rect.right)}`,
          );
        }
      }
    }
    return { bad, checked };
  }, `Unbroken`);
  expect(outside, `${what}: title text outside the viewport (${word})`).toEqual([]);
  return checked;
}

async function requesterWithTickets(word: string) {
  const db = testDb();
  const requester = await makeUser(db, { name: `Requester ${word}` });
  const tech = await makeUser(db, { role: "TECHNICIAN", name: `Tech ${word}`, mfa: false });
  const category = await db.category.findFirstOrThrow({ where: { name: "Hardware" } });
  const make = (n: number, data: object = {}) =>
    db.ticket.create({
      data: {
        title: unbroken(word, n),
        description: `Keyword ${word} in the text.`,
        categoryId: category.id,
        requesterId: requester.id,
        ...data,
      },
    });
  // Open and oldest of all (the staff home lists the oldest open tickets), one closed, one
  // resolved with a reply from the help desk (the requester's home lists recent replies).
  // Each run's is older than the last one's, so it stays first on a reused database.
  const oldest = new Date(Date.UTC(2000, 0, 1) - (Date.now() - Date.UTC(2026, 0, 1)));
  const open = await make(1, { status: "OPEN", createdAt: oldest });
  const closed = await make(2, { status: "CLOSED", resolvedAt: new Date(), closedAt: new Date() });
  const resolved = await make(3, {
    status: "RESOLVED",
    resolvedAt: new Date(),
    assigneeId: tech.id,
  });
  await db.ticketComment.create({
    data: { ticketId: resolved.id, authorId: tech.id, body: `Fixed it ${word}`, internal: false },
  });
  return { requester, open, closed, resolved };
}

async function narrowStaff(browser: Browser, role: "technician" | "admin") {
  const context = await browser.newContext({ viewport: NARROW });
  const page = await context.newPage();
  const staff = await makeStaff(role);
  await signIn(page, staff.email, staff.password, { totpSecret: staff.totpSecret });
  return page;
}

test.describe("the requester's side", () => {
  test.use({ viewport: NARROW });

  test("200-character unbroken titles never widen any page at 360 px @mobile", async ({
    page,
    browser,
  }) => {
    test.setTimeout(360_000); // three people, sixteen pages, on a shared 2-core machine
    const word = freshWord();
    const { requester, open, closed, resolved } = await requesterWithTickets(word);
    await signIn(page, requester.email, requester.password);

    // One more through the form: exactly 200 characters is accepted, the counter says so.
    await page.goto("/tickets/new");
    const title = page.getByLabel("Title");
    await title.fill(unbroken(word, 4));
    await expect(page.getByTestId("char-count")).toHaveText("200 / 200");
    await page.getByLabel("Category").selectOption({ label: "Hardware" });
    await expectFits(page, "new ticket form", word);
    await page.getByRole("button", { name: "Submit ticket" }).click();
    await expect(page).toHaveURL(/\/tickets\/\d+\?created=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(unbroken(word, 4));
    await expectFits(page, "new ticket page", word);

    // [path, what, the ticket whose title the page shows]
    const requesterPages: [string, string, number][] = [
      ["/", "requester home", 1],
      ["/tickets", "my tickets", 1],
      [`/tickets?q=${word}`, "my search results", 1],
      [`/tickets/${open.number}`, "open ticket", 1],
      [`/tickets/${resolved.number}`, "resolved ticket", 3],
      [`/tickets/${closed.number}`, "closed ticket", 2],
      [`/tickets/new?followUp=${closed.number}`, "follow-up form", 2],
    ];
    for (const [path, what, n] of requesterPages) {
      await page.goto(path);
      await expect(page.getByText(unbroken(word, n)).first()).toBeAttached();
      expect(await expectFits(page, what, word), `${what}: no title checked`).toBeGreaterThan(0);
    }
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Report a follow-up");

    const tech = await narrowStaff(browser, "technician");
    // Lists sorted newest first may not reach these tickets: they must fit all the same.
    const techPages: [string, string, number | null][] = [
      ["/", "staff home", 1],
      ["/tickets", "tickets", null],
      ["/tickets?queue=open", "all open", null],
      [`/tickets?q=${word}`, "staff search results", 1],
      [`/tickets?requester=${requester.id}`, "one requester's tickets", 2],
      [`/tickets/${open.number}`, "ticket page with triage", 1],
      [`/tickets/${closed.number}`, "closed ticket (staff)", 2],
    ];
    for (const [path, what, n] of techPages) {
      await tech.goto(path);
      if (n !== null) await expect(tech.getByText(unbroken(word, n)).first()).toBeAttached();
      const checked = await expectFits(tech, what, word);
      if (n !== null) expect(checked, `${what}: no title checked`).toBeGreaterThan(0);
    }
    await tech.context().close();

    // The audit trail holds the title of the ticket filed through the form.
    const admin = await narrowStaff(browser, "admin");
    await admin.goto("/admin/audit?action=ticket.create");
    await expectFits(admin, "audit log", word);
    const event = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "ticket.create", actorId: requester.id },
      orderBy: { id: "desc" },
    });
    await admin.goto(`/admin/audit/${event.id}`);
    await expect(admin.getByText(unbroken(word, 4)).first()).toBeAttached();
    await expectFits(admin, "audit event", word);
    await admin.context().close();
  });

  test("a title over the limit is refused with a message and kept whole @mobile", async ({
    page,
  }) => {
    const requester = await makeUser(testDb());
    await signIn(page, requester.email, requester.password);
    await page.goto("/tickets/new");
    const long = unbroken(freshWord(), 0) + "X";
    const title = page.getByLabel("Title");
    await title.fill(long);
    // Nothing was cut while typing: the field holds all 201 characters.
    await expect(title).toHaveValue(long);
    await expect(page.getByTestId("char-count")).toHaveText("201 / 200: 1 character too long");
    await page.getByLabel("Category").selectOption({ label: "Hardware" });
    await page.getByRole("button", { name: "Submit ticket" }).click();
    await expect(
      page.getByText("A title is at most 200 characters: shorten it (nothing was cut)."),
    ).toBeVisible();
    await expect(title).toHaveValue(long);
    await expect(page).toHaveURL(/\/tickets\/new$/);
  });

  test("a resolved ticket: two answers of equal weight; 'still happens' reopens with the reply @mobile", async ({
    page,
  }) => {
    const word = freshWord();
    const { requester, resolved } = await requesterWithTickets(word);
    await signIn(page, requester.email, requester.password);
    await page.goto(`/tickets/${resolved.number}`);
    const yes = page.getByRole("button", { name: "Yes, it's fixed" });
    const no = page.getByRole("button", { name: "No, it still happens" });
    const [a, b] = [(await yes.boundingBox())!, (await no.boundingBox())!];
    expect(Math.abs(a.width - b.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(a.height - b.height)).toBeLessThanOrEqual(1);
    expect(await yes.getAttribute("class")).toBe(await no.getAttribute("class"));

    await no.click();
    const box = page.getByRole("textbox", { name: "What is still wrong?" });
    await expect(box).toBeFocused();
    // The answer is required.
    await page.getByRole("button", { name: "Send and reopen" }).click();
    await expect(page.getByText("Tell us what is still wrong.")).toBeVisible();
    await box.fill(`The fan is still loud ${word}`);
    await page.getByRole("button", { name: "Send and reopen" }).click();
    await expect(page.getByTestId("requester-actions").getByTestId("form-success")).toHaveText(
      "Ticket reopened. The help desk will read your reply.",
    );
    await expect(page.getByTestId("ticket-status")).toHaveText("Open");
    await expect(
      page.getByTestId("public-reply").filter({ hasText: `The fan is still loud ${word}` }),
    ).toBeVisible();
    const row = await testDb().ticket.findUniqueOrThrow({ where: { id: resolved.id } });
    expect(row.status).toBe("OPEN");
  });

  test("'Yes, it's fixed' closes; a closed ticket offers a follow-up linked both ways @mobile", async ({
    page,
  }) => {
    const word = freshWord();
    const { requester, resolved } = await requesterWithTickets(word);
    // Someone else's closed ticket: never offered as a follow-up.
    const stranger = await requesterWithTickets(freshWord());
    await signIn(page, requester.email, requester.password);
    await page.goto(`/tickets/${resolved.number}`);
    await page.getByRole("button", { name: "Yes, it's fixed" }).click();
    await expect(page.getByTestId("ticket-status")).toHaveText("Closed");

    await page.getByRole("link", { name: "Report a follow-up" }).click();
    await expect(page).toHaveURL(new RegExp(`/tickets/new\\?followUp=${resolved.number}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Report a follow-up");
    await expect(page.getByLabel("Title")).toHaveValue(`Follow-up of #${resolved.number}`);
    await expect(page.getByLabel("Description")).toHaveValue(
      new RegExp(`^Follow-up of \\[#${resolved.number}\\]`),
    );
    await page.getByLabel("Title").fill(`The fan again ${word}`);
    await page.getByLabel("Category").selectOption({ label: "Hardware" });
    await page.getByRole("button", { name: "Submit ticket" }).click();
    await expect(page).toHaveURL(/\/tickets\/\d+\?created=1$/);
    const links = page.getByTestId("follow-up-links");
    await expect(links).toContainText(`Follows up #${resolved.number}`);
    const newNumber = Number(new URL(page.url()).pathname.split("/").pop());

    await links.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/tickets/${resolved.number}$`));
    await expect(page.getByTestId("follow-up-links")).toContainText(
      `Followed up in #${newNumber} The fan again ${word}`,
    );
    const stored = await testDb().ticket.findUniqueOrThrow({ where: { number: newNumber } });
    expect(stored.followUpOfId).toBe(resolved.id);

    // IDOR: another person's closed ticket is not offered (a plain new-ticket form).
    await page.goto(`/tickets/new?followUp=${stranger.closed.number}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("New ticket");
    await expect(page.getByText(stranger.closed.title)).toHaveCount(0);
  });
});
