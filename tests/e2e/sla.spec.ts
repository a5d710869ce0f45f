import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { DEMO_EMAILS, expect, test } from "./fixtures";

// Issue 15 §2: the "At risk and breached" queue, sorted by the earliest due time, with badges a
// technician reads at a glance; requesters never see due times.

const MIN = 60_000;

async function ticketDue(
  title: string,
  warnIn: number,
  dueIn: number,
  requesterId?: string,
): Promise<{ id: string; number: number }> {
  const db = testDb();
  const requester = requesterId ?? (await makeUser(db, { name: `Requester ${uniqueSuffix()}` })).id;
  const category = await db.category.findFirstOrThrow({ where: { name: "Software" } });
  const now = Date.now();
  return db.ticket.create({
    data: {
      title,
      description: "Waiting for the help desk.",
      categoryId: category.id,
      requesterId: requester,
      slaPolicyId: "sla_default",
      firstResponseDueAt: new Date(now + dueIn * MIN),
      resolutionDueAt: new Date(now + 2 * 24 * 60 * MIN),
      slaWarnAt: new Date(now + warnIn * MIN),
      slaDueAt: new Date(now + dueIn * MIN),
    },
    select: { id: true, number: true },
  });
}

test.describe("service levels", () => {
  test("the at-risk queue lists breached, then at-risk tickets, earliest due first @mobile", async ({
    page,
    login,
  }) => {
    await login("technician");
    const word = `sla${uniqueSuffix().replace(/[^a-z0-9]/gi, "")}`;
    const risky = await ticketDue(`VPN drops ${word}`, -5, 40);
    const fine = await ticketDue(`New monitor ${word}`, 120, 180);
    const late = await ticketDue(`Printer jammed ${word}`, -120, -35);

    await page.goto("/tickets");
    await page.getByRole("link", { name: /At risk and breached/ }).click();
    await expect(page).toHaveURL(/queue=at-risk/);
    await page.goto(`/tickets?queue=at-risk&q=${word}`);
    const rows = page.getByTestId("ticket-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toHaveAttribute("data-ticket-number", String(late.number));
    await expect(rows.nth(1)).toHaveAttribute("data-ticket-number", String(risky.number));
    await expect(rows.nth(0).getByTestId("sla-badge")).toHaveText(/^Breached by 3\d min$/);
    await expect(rows.nth(1).getByTestId("sla-badge")).toHaveText(/^At risk: due in [34]\d min$/);
    // The exact due time, in the viewer's zone, is the badge's title.
    await expect(rows.nth(0).getByTestId("sla-badge").locator("time")).toHaveAttribute(
      "title",
      /^Due /,
    );

    // The SLA filter over every ticket; "on track" finds the third one.
    await page.goto(`/tickets?sla=on-track&q=${word}`);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-ticket-number", String(fine.number));
    await expect(rows.first().getByTestId("sla-badge")).toHaveText(/^Due in (3 h|2 h 5\d min)$/);

    // The ticket page names each target.
    await page.goto(`/tickets/${late.number}`);
    const panel = page.getByTestId("sla-panel");
    await expect(panel).toContainText("First response");
    await expect(panel.getByTestId("sla-badge").first()).toHaveText(/^Breached by/);
  });

  test("a requester sees no due times on their list or ticket", async ({ page, login }) => {
    await login("user");
    const db = testDb();
    const me = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.user } });
    const word = `sla${uniqueSuffix().replace(/[^a-z0-9]/gi, "")}`;
    const own = await ticketDue(`Broken mouse ${word}`, -120, -35, me.id);
    await page.goto(`/tickets?q=${word}`);
    await expect(page.getByTestId("ticket-row")).toHaveCount(1);
    await expect(page.getByTestId("sla-badge")).toHaveCount(0);
    await page.goto(`/tickets/${own.number}`);
    await expect(page.getByRole("heading", { name: new RegExp(word) })).toBeVisible();
    await expect(page.getByTestId("sla-panel")).toHaveCount(0);
    expect(await page.content()).not.toContain("slaDueAt");
  });
});
