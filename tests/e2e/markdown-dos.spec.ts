import { uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { DEMO_EMAILS, expect, test } from "./fixtures";

// Issue 10 §1: a ticket whose description and replies are the Markdown that used to stall or
// crash the server (react-markdown: seconds of CPU per view, RangeError for "> " x3000) opens,
// quickly, for its requester; replies posted through the form are rendered when written; a long
// conversation shows 50 comments with a link to the hidden ones.

const ISSUE_CASES = ["*a".repeat(10_000), "~a".repeat(10_000), ">".repeat(3000) + " x"];

test.describe("adversarial Markdown", () => {
  test("a ticket full of worst-case Markdown opens, and long conversations are windowed", async ({
    page,
    login,
  }) => {
    test.setTimeout(180_000);
    const db = testDb();
    const requester = await db.user.findUniqueOrThrow({
      where: { email: DEMO_EMAILS.user },
      select: { id: true },
    });
    const category = await db.category.findFirstOrThrow({
      where: { archived: false },
      select: { id: true },
    });
    // Written straight to the database with no stored HTML (as rows from before the migration):
    // the page renders these on read, with the same bounded renderer.
    const ticket = await db.ticket.create({
      data: {
        title: `Markdown DoS ${uniqueSuffix()}`,
        description: ISSUE_CASES[2]!,
        categoryId: category.id,
        requesterId: requester.id,
      },
      select: { id: true, number: true },
    });
    await login("user");
    // Through the reply form: rendered when written.
    await page.goto(`/tickets/${ticket.number}`);
    for (const body of ISSUE_CASES) {
      const form = page.getByTestId("reply-form");
      await form.getByLabel("Message").fill(body);
      await form.getByRole("button", { name: "Send reply" }).click();
      await expect(form.getByLabel("Message")).toHaveValue("", { timeout: 30_000 });
    }
    const stored = await db.ticketComment.findMany({ where: { ticketId: ticket.id } });
    expect(stored).toHaveLength(3);
    for (const c of stored) expect(c.bodyHtml).not.toBeNull();

    const started = Date.now();
    const response = await page.goto(`/tickets/${ticket.number}`);
    const ms = Date.now() - started;
    console.info(`[markdown] ticket page with the issue's three comments: ${ms} ms (navigation)`);
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId("public-reply")).toHaveCount(3);
    // The deep quote is shown as its text, not dropped.
    await expect(page.getByTestId("description")).toContainText(">>> x");
    // "*a" x 10,000 is shown: as emphasis, or as its plain text when rendering it ran past the
    // 250 ms budget (lib/markdown/render.ts; which one depends on the machine's speed).
    const first = page.getByTestId("public-reply").first();
    await expect(first).toContainText("a");
    const shown =
      (await first.locator("em").count()) > 0 || (await first.innerText()).includes("*a*a");
    expect(shown, "the first reply as emphasis or as its text").toBe(true);

    // 60 more replies: the page shows 50 and offers the hidden ones.
    const base = Date.now();
    await db.ticketComment.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        ticketId: ticket.id,
        authorId: requester.id,
        body: `filler ${i} ${"*a".repeat(500)}`,
        createdAt: new Date(base + (i + 1) * 1000),
      })),
    });
    await page.goto(`/tickets/${ticket.number}`);
    await expect(page.getByTestId("public-reply")).toHaveCount(50);
    const gap = page.getByTestId("timeline-gap");
    await expect(gap).toContainText("13 earlier replies are not shown.");
    await gap.getByRole("link", { name: "Show earlier replies" }).click();
    await expect(page).toHaveURL(new RegExp(`/tickets/${ticket.number}\\?replies=5$`));
    await expect(page.getByTestId("public-reply")).toHaveCount(50);
    await expect(page.getByTestId("timeline-gap").first()).toContainText(
      "5 earlier replies are not shown.",
    );
  });
});
