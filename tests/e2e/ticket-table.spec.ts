import type { Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// The staff queue as a dense, sortable table (cards on phones), its total, the bulk bar, the
// density choice, saved views, and times in the viewer's zone (issue 11 §2 and §6).

async function seedTickets(count: number, titleOf: (i: number) => string) {
  const db = testDb();
  const tag = uniqueSuffix();
  const category = await db.category.create({
    data: { name: `Table ${tag}`, position: 900_000 + Math.floor(Math.random() * 90_000) },
  });
  const requester = await makeUser(db, { name: `Table requester ${tag}` });
  for (let i = 0; i < count; i++) {
    await db.ticket.create({
      data: {
        title: titleOf(i),
        description: "Seeded for the table test.",
        categoryId: category.id,
        requesterId: requester.id,
        priority: (["LOW", "MEDIUM", "HIGH", "URGENT"] as const)[i % 4],
        // Every fifth waits on the requester: the longest staff status label.
        status: i % 5 === 0 ? "ON_HOLD" : "OPEN",
      },
    });
  }
  return { categoryId: category.id, tag };
}

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, "page is wider than the viewport").toBeLessThanOrEqual(innerWidth);
}

const rows = (page: Page) => page.locator("[data-ticket-row]");
const titles = (page: Page) => page.locator("[data-ticket-row] a[data-row-link]").allInnerTexts();

test.describe("ticket table", () => {
  // A zone far from the server's UTC: every time on the page must be in it.
  test.use({ timezoneId: "Asia/Tokyo", locale: "en-GB" });

  test("desktop: 20+ rows at 1280×860, sort by a column, total, bulk bar, density, saved view", async ({
    page,
    login,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "desktop layout");
    test.slow();
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const { categoryId, tag } = await seedTickets(25, (i) => `${letters[(i * 7) % 26]} table ${i}`);
    await page.setViewportSize({ width: 1280, height: 860 });
    await login("technician");

    await page.goto(`/tickets?category=${categoryId}`);
    await expect(page.getByTestId("ticket-count")).toHaveText("25 tickets");
    await expect(rows(page)).toHaveCount(25);
    await expect(page.getByTestId("ticket-list")).toHaveAttribute("data-density", "compact");

    // Dense: with the table at the top of the window, at least 20 whole rows are in view. Scrolled
    // again until it holds: once, on a fresh embedded database, 12 rows showed as if the scroll
    // had not held (probably the page hydrating after the server-rendered table; not proven).
    let inView = 0;
    await expect(async () => {
      await page.getByTestId("ticket-list").evaluate((el) => el.scrollIntoView());
      inView = await rows(page).evaluateAll(
        (els) =>
          els.filter((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
          }).length,
      );
      expect(inView).toBeGreaterThanOrEqual(20);
    }).toPass({ timeout: 10_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const withoutScrolling = await rows(page).evaluateAll(
      (els) => els.filter((el) => el.getBoundingClientRect().bottom <= window.innerHeight).length,
    );
    const rowsNote = `${inView} rows in view with the table on top; ${withoutScrolling} without scrolling`;
    testInfo.annotations.push({ type: "rows", description: rowsNote });
    console.log(`ticket table at 1280×860: ${rowsNote}`);
    await page.screenshot({ path: testInfo.outputPath("queue-1280x860.png") });

    // Every status badge stays inside its own cell ("Waiting for requester" overlapped Assignee).
    const overflows = await page
      .locator("[data-ticket-row] [data-testid=ticket-status]")
      .evaluateAll((badges) =>
        badges
          .map((badge) => {
            const cell = badge.closest("td")!.getBoundingClientRect();
            const box = badge.getBoundingClientRect();
            return { text: badge.textContent, over: Math.round(box.right - cell.right) };
          })
          .filter(({ over }) => over > 0),
      );
    expect(overflows, "status badges wider than their cell").toEqual([]);
    await expect(rows(page).getByText("Waiting for requester")).toHaveCount(5);

    // Times: relative text, the exact time in the browser's zone (Tokyo) on hover.
    const time = rows(page).first().locator("time");
    await expect(time).toHaveText(/now|min|hr/);
    await expect(time).toHaveAttribute("title", /GMT\+9/);

    // Sort by clicking a column header; a second click reverses it.
    const header = page.getByRole("columnheader", { name: /Title/ });
    await header.getByRole("link").click();
    await expect(page).toHaveURL(/sort=title-asc/);
    await expect(header).toHaveAttribute("aria-sort", "ascending");
    const asc = await titles(page);
    expect(asc).toEqual([...asc].sort());
    await header.getByRole("link").click();
    await expect(page).toHaveURL(/sort=title-desc/);
    await expect(header).toHaveAttribute("aria-sort", "descending");
    const desc = await titles(page);
    expect(desc).toEqual([...asc].reverse());

    // The bulk bar appears only with a selection.
    await expect(page.getByTestId("bulk-bar")).toHaveCount(0);
    await rows(page).first().getByRole("checkbox").check();
    await expect(page.getByTestId("bulk-bar")).toContainText("1 selected");
    await page.getByRole("button", { name: "Clear selection" }).click();
    await expect(page.getByTestId("bulk-bar")).toHaveCount(0);

    // Density: remembered (cookie) across a reload.
    const density = page.getByRole("group", { name: "Row density" });
    await density.getByRole("button", { name: "Comfortable" }).click();
    await expect(page.getByTestId("ticket-list")).toHaveAttribute("data-density", "comfortable");
    await page.reload();
    await expect(page.getByTestId("ticket-list")).toHaveAttribute("data-density", "comfortable");
    await expect(density.getByRole("button", { name: "Comfortable" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await density.getByRole("button", { name: "Compact" }).click();
    await expect(page.getByTestId("ticket-list")).toHaveAttribute("data-density", "compact");

    // Save the view, leave, and open it again from its pinned tab.
    const name = `Table Z-A ${tag}`;
    const panel = page.getByTestId("saved-views");
    await panel.locator("summary").click();
    await panel.getByLabel("Save this list as").fill(name);
    await panel.getByRole("button", { name: "Save view" }).click();
    const queues = page.getByRole("navigation", { name: "Queues" });
    await expect(queues.getByRole("link", { name })).toHaveAttribute("aria-current", "page");

    await queues.getByRole("link", { name: /All open/ }).click();
    await expect(page).toHaveURL(/queue=open/);
    await expect(queues.getByRole("link", { name })).not.toHaveAttribute("aria-current", "page");
    await queues.getByRole("link", { name }).click();
    await expect(page).toHaveURL(new RegExp(`category=${categoryId}.*sort=title-desc`));
    await expect(queues.getByRole("link", { name })).toHaveAttribute("aria-current", "page");
    expect(await titles(page)).toEqual(desc);

    // Deleted from the panel: the tab goes away.
    await panel.locator("summary").click();
    await panel.getByRole("button", { name: `Delete view ${name}` }).click();
    await expect(queues.getByRole("link", { name })).toHaveCount(0);
  });

  test("phone: the table becomes cards; a 200-character unbroken title never widens the page", async ({
    page,
    login,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "phone", "phone layout");
    const long = `Unbroken${"x".repeat(192)}`;
    const { categoryId } = await seedTickets(3, (i) => (i === 0 ? long : `Short card ${i}`));
    await page.setViewportSize({ width: 360, height: 780 });
    await login("technician");
    await page.goto(`/tickets?category=${categoryId}`);
    await expect(page.getByTestId("ticket-count")).toHaveText("3 tickets");
    await expect(rows(page)).toHaveCount(3);
    await expectNoHorizontalScroll(page);

    // Each row is a card the width of the screen, its title readable (wrapped, not clipped).
    const card = rows(page).filter({ hasText: "Unbroken" });
    const box = (await card.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(360);
    const link = card.locator("a[data-row-link]");
    const linkBox = (await link.boundingBox())!;
    expect(linkBox.height).toBeGreaterThan(30); // wrapped over several lines
    expect(linkBox.x + linkBox.width).toBeLessThanOrEqual(360);
    await expect(card.getByText("Updated")).toBeVisible();
    await expect(card.locator("time")).toHaveAttribute("title", /GMT\+9/);
    await page.screenshot({ path: testInfo.outputPath("queue-360.png"), fullPage: true });

    // Sorting works from the phone's sort bar too.
    await page.getByRole("link", { name: /Sort by Priority/ }).click();
    await expect(page).toHaveURL(/sort=priority/);
    await expectNoHorizontalScroll(page);
  });
});
