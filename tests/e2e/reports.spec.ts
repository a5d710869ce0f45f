import { readFile } from "node:fs/promises";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// /reports (issue 15 §6): an admin opens it from the navigation, sees every report as a table,
// and downloads one as CSV (audited); the export refuses GET and cross-site POSTs.

test("an admin opens the reports and downloads the SLA report as CSV @desktop-only", async ({
  page,
  login,
}) => {
  test.setTimeout(90_000);
  const admin = await login("admin");
  const db = testDb();
  const exports = () =>
    db.auditEvent.count({ where: { action: "report.export", actorId: admin.id } });
  const before = await exports();

  await page.goto("/");
  await page.getByRole("link", { name: "Reports", exact: true }).first().click();
  await expect(page).toHaveURL(/\/reports$/);
  for (const title of ["SLA compliance", "Backlog over time", "Time logged"]) {
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
    await expect(page.getByRole("table", { name: title })).toBeVisible();
  }

  expect((await page.request.get("/reports/export/sla")).status()).toBe(405);
  const crossSite = await page.request.post("/reports/export/sla", {
    form: { from: "2026-01-01" },
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(crossSite.status()).toBe(403);
  expect(await exports()).toBe(before);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export SLA compliance as CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    /^tessera-sla-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = await readFile((await file.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toContain('"First response met %"');
  expect(csv).toContain('"All","All tickets"');
  expect(await exports()).toBe(before + 1);
});
