import { testDb } from "./db";
import { expect, test } from "./fixtures";

// A server error inside a signed-in page, provoked for real: the Category table is renamed for
// the length of the test, so the new-ticket page's query fails in PostgreSQL the way it would
// after a broken migration. The person sees the friendly page inside the app shell, with the
// error's digest as the reference and nothing of the error itself; once the table is back,
// "Try again" renders the page. (The server logs the same digest with the request id:
// tests/unit/error-pages.test.ts.)

const BROKEN = "Category_e2e_renamed";

// Renaming a table breaks every page that reads it, for everyone: no other test may run meanwhile
// (a keyboard walk through the audit log failed on it when both ran at once).
test.use({ exclusive: true });

// What the database error says (Prisma P2021: "The table `public.Category_…` does not exist in
// the current database."), and what its stack would show.
const LEAKS = [BROKEN, "public.Category", "current database", "P2021", "Prisma", "    at "];

test("a failing page shows a reference and no error details", async ({
  page,
  login,
  allowConsoleError,
}) => {
  // React reports the failure in the browser with its generic production errors only: #441 ("an
  // error occurred in the Server Components render", caught by the boundary) and, when the error
  // streams in before hydration ends, #419 ("the server could not finish this Suspense
  // boundary"). Expected here, and checked for leaks like the page.
  allowConsoleError(/Minified React error #(441|419);/);
  const consoleText: string[] = [];
  page.on("console", (msg) => consoleText.push(msg.text()));
  page.on("pageerror", (err) => consoleText.push(`${err.message}\n${err.stack ?? ""}`));
  await login("user");
  await page.goto("/tickets");
  await expect(page.getByRole("heading", { level: 1, name: "My tickets" })).toBeVisible();

  await testDb().$executeRaw`ALTER TABLE "Category" RENAME TO "Category_e2e_renamed"`;
  let renamed = true;
  try {
    const response = await page.goto("/tickets/new");
    const report = page.getByTestId("error-report");
    await expect(report).toBeVisible();
    await expect(report.getByRole("heading", { level: 1 })).toHaveText("Something went wrong");
    const reference = (await report.locator("code").textContent()) ?? "";
    expect(reference).toMatch(/^[\w-]{1,64}$/);
    // Inside the app shell's <main>: navigation and sign-out stay usable around the error.
    await expect(page.locator("main#main").getByTestId("error-report")).toBeVisible();

    // Nothing of the database error reaches the browser: not in the page, not in the payload.
    const html = (await response?.text()) ?? "";
    expect(html).toContain(reference);
    for (const body of [html, await page.content(), consoleText.join("\n")]) {
      for (const leak of LEAKS) expect(body).not.toContain(leak);
    }

    await testDb().$executeRaw`ALTER TABLE "Category_e2e_renamed" RENAME TO "Category"`;
    renamed = false;
    await report.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New ticket" })).toBeVisible();
  } finally {
    if (renamed) {
      await testDb().$executeRaw`ALTER TABLE "Category_e2e_renamed" RENAME TO "Category"`;
    }
  }
});
