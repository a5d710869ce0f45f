import type { Browser, Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, makeStaff, signIn, test } from "./fixtures";

// Live updates and presence (issue 16 §4, docs/decisions/028-live-updates.md), two or three
// browsers at once: what one person does appears on the others' open pages without a reload,
// scoped (a requester never learns of an internal note), and technicians on one ticket see each
// other ("… is replying…").

async function newTicket(title: string) {
  const db = testDb();
  const requester = await makeUser(db, { name: `Live Requester ${uniqueSuffix()}` });
  const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
  const ticket = await db.ticket.create({
    data: { title, description: "Live.", categoryId: category.id, requesterId: requester.id },
    select: { id: true, number: true },
  });
  return { ...ticket, requester };
}

async function staffPage(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const staff = await makeStaff("technician", name);
  await signIn(page, staff.email, staff.password, { totpSecret: staff.totpSecret });
  return { context, page, staff };
}

/** Set once per document: still there afterwards = the page was not reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __live: number }).__live = 1));
}
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { __live?: number }).__live === 1);

/** Records the change events the page's stream receives (wraps EventSource before any script). */
async function recordLiveEvents(page: Page) {
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __liveEvents: unknown[] }).__liveEvents = seen;
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("change", (e) => seen.push(JSON.parse((e as MessageEvent).data)));
      }
    } as typeof EventSource;
  });
}
const liveEvents = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __liveEvents: { kind: string; ticketId: string }[] }).__liveEvents,
  );

test.describe("live updates @desktop-only", () => {
  test("two technicians on one ticket: presence, and a reply appears without a reload", async ({
    browser,
  }) => {
    const suffix = uniqueSuffix();
    const ticket = await newTicket(`Live VPN ${suffix}`);
    const ada = await staffPage(browser, `Ada ${suffix}`);
    const ben = await staffPage(browser, `Ben ${suffix}`);
    try {
      await ada.page.goto(`/tickets/${ticket.number}`);
      await ben.page.goto(`/tickets/${ticket.number}`);
      await markDocument(ada.page);
      const adaPresence = ada.page.getByTestId("live-presence");
      const benPresence = ben.page.getByTestId("live-presence");
      await expect(adaPresence).toHaveText(`Ben ${suffix} is viewing`);
      await expect(benPresence).toHaveText(`Ada ${suffix} is viewing`);

      // Ada starts a reply: Ben sees it, and her half-typed text survives what comes next.
      const adaBox = ada.page.getByTestId("triage-form").getByLabel("Message");
      await adaBox.pressSequentially("Half a thought", { delay: 20 });
      await expect(benPresence).toHaveText(`Ada ${suffix} is replying…`);

      const reply = `Restart the VPN client ${suffix}`;
      const benForm = ben.page.getByTestId("triage-form");
      await benForm.getByLabel("Message").fill(reply);
      await expect(adaPresence).toHaveText(`Ben ${suffix} is replying…`);
      await benForm.getByRole("button", { name: "Send reply" }).click();
      await expect(benForm.getByTestId("form-success")).toHaveText(/^Reply sent/);

      // On Ada's page, without a reload: the reply, a note that the ticket moved on, her text.
      await expect(ada.page.getByTestId("public-reply").filter({ hasText: reply })).toBeVisible();
      await expect(ada.page.getByTestId("stale-notice")).toContainText("1 new comment");
      await expect(adaBox).toHaveValue("Half a thought");
      expect(await sameDocument(ada.page)).toBe(true);

      // Ben leaves: Ada stops seeing him.
      await ben.page.goto("/tickets");
      await expect(adaPresence).toHaveText("");
    } finally {
      await ada.context.close();
      await ben.context.close();
    }
  });

  test("the requester sees a public reply appear, never an internal note", async ({ browser }) => {
    const suffix = uniqueSuffix();
    const ticket = await newTicket(`Live printer ${suffix}`);
    const requesterContext = await browser.newContext();
    const requesterPage = await requesterContext.newPage();
    await recordLiveEvents(requesterPage);
    const tech = await staffPage(browser, `Tech ${suffix}`);
    try {
      await signIn(requesterPage, ticket.requester.email, ticket.requester.password);
      await requesterPage.goto(`/tickets/${ticket.number}`);
      await expect(requesterPage.getByTestId("live-updates")).toHaveAttribute("data-live", "on");
      await markDocument(requesterPage);
      // No presence for requesters: neither shown nor sent.
      await expect(requesterPage.getByTestId("live-presence")).toHaveCount(0);
      const requesterBox = requesterPage.getByTestId("reply-form").getByLabel("Message");
      await requesterBox.fill("I was about to say");

      await tech.page.goto(`/tickets/${ticket.number}`);
      const form = tech.page.getByTestId("triage-form");
      // Tech's presence never reaches the requester's page.
      const note = `Staff only: the toner order ${suffix}`;
      await form.getByText("Internal note", { exact: true }).click();
      await form.getByLabel("Note", { exact: true }).fill(note);
      await form.getByRole("button", { name: "Add internal note" }).click();
      await expect(form.getByTestId("form-success")).toHaveText("Internal note added.");
      const reply = `A new cartridge is on its way ${suffix}`;
      await form.getByText("Public reply", { exact: true }).click();
      await form.getByLabel("Message").fill(reply);
      await form.getByRole("button", { name: "Send reply" }).click();
      await expect(form.getByTestId("form-success")).toHaveText(/^Reply sent/);

      await expect(
        requesterPage.getByTestId("public-reply").filter({ hasText: reply }),
      ).toBeVisible();
      expect(await sameDocument(requesterPage)).toBe(true);
      await expect(requesterBox).toHaveValue("I was about to say");
      await expect(requesterPage.getByText(note)).toHaveCount(0);
      // The stream itself never carried the note: the note came first, so it would be here.
      const events = (await liveEvents(requesterPage)).filter((e) => e.ticketId === ticket.id);
      expect(events.filter((e) => e.kind === "comment")).toHaveLength(1);
      expect(JSON.stringify(events)).not.toContain("toner");
    } finally {
      await requesterContext.close();
      await tech.context.close();
    }
  });

  test("a queue shows a new ticket without a reload", async ({ page, login }) => {
    await login("technician");
    await page.goto("/tickets");
    await expect(page.getByTestId("live-updates")).toHaveAttribute("data-live", "on");
    await markDocument(page);
    const title = `Live queue ${uniqueSuffix()}`;
    await expect(page.getByText(title)).toHaveCount(0);
    await newTicket(title);
    await expect(page.getByRole("link", { name: new RegExp(`${title}$`) })).toBeVisible();
    expect(await sameDocument(page)).toBe(true);
  });
});
