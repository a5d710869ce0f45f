import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { uniqueSuffix } from "@/prisma/factories";
import { verifyTesseraWebhook } from "@/docs/examples/verify-webhook.mjs";
import { testDb } from "./db";
import { expect, test } from "./fixtures";
import { XssProbe } from "./xss-hooks";

// Webhooks (issue 16 §3): an admin adds one pointing at a real receiver on 127.0.0.1, is refused
// until private addresses are allowed, sends a test event, sees it delivered in the log, sends it
// again. The name and URL carry markup that must stay text (T1 detectors).

/** Serious or critical axe findings on the page as it is now (the a11y suite's bar). */
async function blockingA11y(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test("an admin adds a webhook, sends a test event and sees it in the delivery log", async ({
  page,
  login,
}) => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("thanks");
    });
  });
  // The log's newest test event (public replies by other tests may be listed above it).
  const testRow = () =>
    page.getByTestId("delivery-row").filter({ hasText: "webhook.test" }).first();
  const tests = () => received.filter((r) => r.headers["tessera-event"] === "webhook.test");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const tag = uniqueSuffix();
  const name = `Chat <img src=x onerror=alert(1)> ${tag}`;
  const url = `http://127.0.0.1:${port}/hook?q="><script>alert(2)</script>`;
  const probe = await XssProbe.install(page);
  await login("admin");
  try {
    await probe.visit("webhooks", "/admin/webhooks");
    await page.getByRole("link", { name: "New webhook", exact: true }).click();
    const form = page.getByRole("form", { name: "Webhook" });
    await expect(form).toBeVisible();
    expect(await blockingA11y(page)).toEqual([]);
    await form.getByLabel(/^Name/).fill(name);
    await form.getByLabel(/^URL/).fill(url);
    await form.getByRole("checkbox", { name: /^Public reply/ }).check();
    await form.getByRole("button", { name: "Create webhook" }).click();
    // Loopback without the allowance: refused on the URL field.
    await expect(form).toContainText("loopback address");
    await form.getByRole("checkbox", { name: /^Allow private addresses/ }).check();
    await form.getByRole("button", { name: "Create webhook" }).click();
    const secret = (await page.getByTestId("secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("link", { name: "Open the webhook", exact: true }).click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await probe.check("webhook page");

    await page.getByRole("button", { name: "Send test event", exact: true }).click();
    await expect(page.getByText(/^Test event queued/)).toBeVisible();
    // The background loop of the app sends it within seconds.
    await expect
      .poll(
        async () => {
          await page.reload();
          return testRow()
            .textContent({ timeout: 2_000 })
            .catch(() => "");
        },
        { timeout: 30_000 },
      )
      .toContain("Delivered");
    await expect(testRow()).toContainText("200");
    expect(await blockingA11y(page)).toEqual([]);
    // Only the test events count: the webhook also gets the public replies other tests write
    // meanwhile (it subscribes to them, and another worker runs beside this one).
    expect(tests()).toHaveLength(1);
    const event = verifyTesseraWebhook(
      secret,
      tests()[0]!.body,
      tests()[0]!.headers["tessera-signature"],
    );
    expect(event).toMatchObject({ type: "webhook.test", data: { webhook: { name } } });

    await testRow()
      .getByRole("button", { name: /^Send again: webhook\.test of / })
      .click();
    await expect(page.getByText("Queued again.", { exact: true })).toBeVisible();
    await expect.poll(() => tests().length, { timeout: 30_000 }).toBe(2);
    expect(tests()[1]!.headers["tessera-delivery"]).not.toBe(
      tests()[0]!.headers["tessera-delivery"],
    );

    await probe.visit("webhooks list", "/admin/webhooks");
    const row = page.getByTestId("webhook-row").filter({ hasText: tag });
    await expect(row).toContainText(name);
    await expect(row).toContainText(url);
    expect(await blockingA11y(page)).toEqual([]);
    expect(probe.findings, "markup in the name or URL reached the DOM").toEqual([]);
  } finally {
    await testDb().webhook.deleteMany({ where: { name } });
    server.close();
  }
});
