import AxeBuilder from "@axe-core/playwright";
import type { Browser, Cookie, Locator, Page, TestInfo } from "@playwright/test";
import { uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { DEMO_EMAILS, DEMO_PASSWORD, expect, makeStaff, signIn, test, type Role } from "./fixtures";

// Accessibility, in the browser: axe on every page, signed out and as each role, light and dark
// (desktop and phone are the two projects), with 0 serious or critical violations allowed; and a
// keyboard-only walk (Tab, Enter, Space, Escape and typing; no clicks) through submitting a
// ticket, replying, triage and the audit viewer. Each role signs in once per project; its
// cookies are reused by the tests that follow.
// The per-page result is printed ("axe <project> <scheme> <role> <page>: ...") and attached as
// axe-summary.json to each test, for the closing note.

type Who = Role | "signed out";
type Scheme = "light" | "dark";

const sessions = new Map<Role, Cookie[]>();

/** Signs `role` in once (a fresh MFA-enrolled staff account, or the demo user) and keeps the cookies. */
async function sessionFor(role: Role, browser: Browser, baseURL?: string): Promise<Cookie[]> {
  const known = sessions.get(role);
  if (known) return known;
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (role === "user") {
    await signIn(page, DEMO_EMAILS.user, DEMO_PASSWORD);
  } else {
    const staff = await makeStaff(role);
    await signIn(page, staff.email, staff.password, { totpSecret: staff.totpSecret });
  }
  const cookies = await context.cookies();
  await context.close();
  sessions.set(role, cookies);
  return cookies;
}

/** Objects the detail pages need: one of the demo user's tickets, their account, an audit event. */
async function targets() {
  const db = testDb();
  const user = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.user } });
  let ticket = await db.ticket.findFirst({
    where: { requesterId: user.id, deletedAt: null, comments: { some: { internal: true } } },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  ticket ??= await db.ticket.findFirst({
    where: { requesterId: user.id, deletedAt: null },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  if (!ticket) {
    const category = await db.category.findFirstOrThrow({ where: { archived: false } });
    ticket = await db.ticket.create({
      data: {
        title: `Accessibility check ${uniqueSuffix()}`,
        description: "The **demo** ticket of the accessibility suite.",
        categoryId: category.id,
        requesterId: user.id,
      },
      select: { number: true },
    });
  }
  const event = await db.auditEvent.findFirstOrThrow({
    where: { entityType: "Ticket" },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return { ticket: ticket.number, userId: user.id, eventId: event.id.toString() };
}

type Targets = Awaited<ReturnType<typeof targets>>;
type PagePath = string | ((t: Targets) => string);

function pagesFor(who: Who): PagePath[] {
  if (who === "signed out") return ["/login", "/forbidden", "/no-such-page"];
  const common: PagePath[] = [
    "/",
    "/tickets",
    "/tickets/new",
    (t) => `/tickets/${t.ticket}`,
    "/account/password",
    "/account/mfa",
  ];
  if (who === "user") return [...common, "/admin/users"]; // -> the forbidden page, signed in
  if (who === "technician") return [...common, "/tickets?queue=unassigned", "/canned-responses"];
  return [
    ...common,
    "/tickets?queue=unassigned",
    "/canned-responses",
    "/admin/users",
    "/admin/users/new",
    (t) => `/admin/users/${t.userId}`,
    "/admin/categories",
    "/admin/audit",
    (t) => `/admin/audit/${t.eventId}`,
  ];
}

type Row = {
  project: string;
  scheme: Scheme;
  role: Who;
  page: string;
  critical: number;
  serious: number;
  moderate: number;
  minor: number;
  blocking: string[];
};

/**
 * Only colour depends on the scheme: the dark pass runs the colour rules, the light pass all
 * rules (a full axe run costs seconds a page; the suite covers ~90 page states).
 */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

async function scan(page: Page, info: TestInfo, scheme: Scheme, role: Who, label: string) {
  const axe = new AxeBuilder({ page });
  const { violations } = await (scheme === "dark" ? axe.withRules(COLOUR_RULES) : axe).analyze();
  const count = (impact: string) =>
    violations.filter((v) => v.impact === impact).reduce((n, v) => n + v.nodes.length, 0);
  const blocking = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")})`,
    );
  const row: Row = {
    project: info.project.name,
    scheme,
    role,
    page: label,
    critical: count("critical"),
    serious: count("serious"),
    moderate: count("moderate"),
    minor: count("minor"),
    blocking,
  };
  console.log(
    `axe ${row.project} ${scheme} ${role} ${label}: critical=${row.critical} serious=${row.serious} moderate=${row.moderate} minor=${row.minor}` +
      (violations.length ? ` [${violations.map((v) => `${v.id}:${v.impact}`).join(", ")}]` : ""),
  );
  return row;
}

const SCHEMES = ["light", "dark"] as const;

// Tests of at most PAGES_PER_TEST pages, run in parallel across the workers (a role's sign-in is
// per worker): one test of 16 pages took ~3 minutes, and a test that needs the server to itself
// (`exclusive`) waited that long for the other worker.
test.describe.configure({ mode: "parallel" });
const PAGES_PER_TEST = 4;

for (const who of ["signed out", "user", "technician", "admin"] as const) {
  const paths = pagesFor(who);
  const chunks = Math.ceil(paths.length / PAGES_PER_TEST);
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    const first = chunk * PAGES_PER_TEST;
    const mine = paths.slice(first, first + PAGES_PER_TEST);
    // The menus are part of every page: analysed open once per role, with its last pages.
    const withMenu = who !== "signed out" && chunk === chunks - 1;
    const span = `pages ${first + 1}–${first + mine.length} of ${paths.length}`;
    test(`axe: ${who === "signed out" ? "signed out" : `as ${who}`}, ${span}${withMenu ? " and the menu" : ""}, light and dark @a11y`, async ({
      page,
      browser,
      baseURL,
    }, info) => {
      // Each page analysed twice: ~5 s a page on an idle machine, far more on a busy one.
      test.setTimeout(10 * 60_000);
      if (who !== "signed out")
        await page.context().addCookies(await sessionFor(who, browser, baseURL));
      const rows: Row[] = [];
      // Each page is loaded once and analysed in both schemes: the theme follows the media query.
      const both = async (label: string) => {
        for (const scheme of SCHEMES) {
          await page.emulateMedia({ colorScheme: scheme });
          // Buttons fade their colours (transition-colors): measured mid-fade, a contrast is
          // wrong. Wait for the running transitions, at most 1 s (never for a spinner's endless
          // animation).
          await page.evaluate(() =>
            Promise.race([
              Promise.all(
                document
                  .getAnimations()
                  .filter((a) => a instanceof CSSTransition)
                  .map((a) => a.finished.catch(() => undefined)),
              ),
              new Promise((resolve) => setTimeout(resolve, 1_000)),
            ]),
          );
          rows.push(await scan(page, info, scheme, who, label));
        }
      };
      const t = await targets();
      for (const path of mine.map((p) => (typeof p === "string" ? p : p(t)))) {
        await page.goto(path);
        await page.waitForLoadState("networkidle"); // hydrated: client-drawn charts included
        await both(path);
      }
      if (withMenu) {
        await page.goto("/");
        const phoneMenu = page.getByRole("button", { name: "Menu" });
        await (
          (await phoneMenu.isVisible())
            ? phoneMenu
            : page.getByRole("button", { name: /^Account menu for / })
        ).click();
        await both("/ (menu open)");
      }
      await info.attach("axe-summary.json", {
        body: JSON.stringify(rows, null, 2),
        contentType: "application/json",
      });
      const blocking = rows.flatMap((r) => r.blocking.map((b) => `${r.scheme} ${r.page}: ${b}`));
      expect(blocking, "serious or critical accessibility violations").toEqual([]);
    });
  }
}

/** Presses Tab until `target` has the focus (fails after `max` presses). */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab did not reach ${target.toString()} in ${max} presses`);
}

test("keyboard only: submit a ticket, reply, triage, and filter the audit log @a11y", async ({
  page,
  browser,
  baseURL,
}, info) => {
  test.skip(info.project.name !== "desktop", "a keyboard walk: one viewport is enough");
  test.setTimeout(10 * 60_000);
  const title = `Keyboard walk ${uniqueSuffix()}`;

  // The requester: skip link, account menu, then a ticket and a reply.
  await page.context().addCookies(await sessionFor("user", browser, baseURL));
  await page.goto("/tickets/new");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  const account = page.getByRole("button", { name: /^Account menu for / });
  await tabTo(page, account);
  await page.keyboard.press("Enter");
  await expect(account).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Change password" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(account).toHaveAttribute("aria-expanded", "false");
  await expect(account).toBeFocused();

  await page.reload();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter"); // the skip link
  await expect(page.locator("#main")).toBeFocused();
  await tabTo(page, page.getByLabel("Title"));
  await page.keyboard.type(title);
  await tabTo(page, page.getByLabel("Category"));
  await page.keyboard.type("Hardware"); // a closed select picks the option typed
  await expect(page.getByLabel("Category")).toHaveValue(/.+/);
  await tabTo(page, page.getByLabel("Description"));
  await page.keyboard.type("Typed without a mouse.");
  await tabTo(page, page.getByRole("button", { name: "Submit ticket" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tickets\/\d+\?created=1$/);
  const ticketPath = new URL(page.url()).pathname;

  const reply = page.getByTestId("reply-form");
  await tabTo(page, reply.getByRole("textbox", { name: "Message" }));
  await page.keyboard.type("A reply, typed.");
  await tabTo(page, reply.getByRole("button", { name: "Send reply" }));
  await page.keyboard.press("Space");
  await expect(reply.getByTestId("form-success")).toHaveText("Reply sent.");

  // A technician triages it: take, status, assignee.
  const techContext = await browser.newContext({ baseURL });
  await techContext.addCookies(await sessionFor("technician", browser, baseURL));
  const tech = await techContext.newPage();
  await tech.goto(ticketPath);
  const triage = tech.getByTestId("triage-form");
  await tabTo(tech, triage.getByRole("button", { name: "Take it" }));
  await tech.keyboard.press("Enter");
  await expect(triage.getByTestId("form-success")).toHaveText("Assignee, status saved.");
  // Status and assignee, then one submit.
  const status = triage.getByLabel("Status", { exact: true });
  await tabTo(tech, status);
  await tech.keyboard.type("In progress");
  await expect(status).toHaveValue("IN_PROGRESS");
  const assignee = triage.getByLabel("Assignee", { exact: true });
  await tabTo(tech, assignee);
  await tech.keyboard.type("Tom Technician");
  await tabTo(tech, triage.getByRole("button", { name: "Set In progress" }));
  await tech.keyboard.press("Space");
  await expect(triage.getByTestId("form-success")).toHaveText("Assignee, status saved.");
  await techContext.close();

  // An admin filters the audit log and follows the named ticket.
  const adminContext = await browser.newContext({ baseURL });
  await adminContext.addCookies(await sessionFor("admin", browser, baseURL));
  const admin = await adminContext.newPage();
  await admin.goto("/admin/audit");
  await tabTo(admin, admin.getByLabel("Action", { exact: true }));
  await admin.keyboard.type("ticket.take");
  await admin.keyboard.press("Enter");
  await expect(admin).toHaveURL(/action=ticket\.take/);
  const number = ticketPath.split("/").pop()!;
  const named = admin
    .getByTestId("audit-object")
    .first()
    .getByRole("link", { name: `Ticket #${number}` });
  await expect(named).toBeVisible();
  await tabTo(admin, named, 120);
  await admin.keyboard.press("Enter");
  await expect(admin).toHaveURL(new RegExp(`/tickets/${number}$`));
  await adminContext.close();
});
