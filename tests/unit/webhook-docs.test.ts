import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyTesseraWebhook } from "@/docs/examples/verify-webhook.mjs";
import { signatureHeader } from "@/lib/webhooks/signature";
import { eventOfAudit, WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { webhookUrlProblem } from "@/lib/webhooks/schemas";

// docs/webhooks.md shows the verification code; the integration tests run the file
// (tests/integration/webhooks.test.ts). Here: the page shows exactly that file, and it verifies
// what lib/webhooks/signature.ts signs.
describe("docs/webhooks.md", () => {
  const doc = readFileSync("docs/webhooks.md", "utf8");
  const file = readFileSync("docs/examples/verify-webhook.mjs", "utf8");

  it("shows docs/examples/verify-webhook.mjs verbatim", () => {
    const block = /## Verifying \(Node\.js\)[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(file);
  });

  it("lists every event type", () => {
    for (const event of [...WEBHOOK_EVENTS, "webhook.test"]) expect(doc).toContain(`\`${event}\``);
  });

  it("verifies what the server signs, and nothing else", () => {
    const body = JSON.stringify({ id: "d1", type: "webhook.test", createdAt: "", data: {} });
    const now = Date.UTC(2026, 11, 5, 12);
    const t = Math.floor(now / 1000);
    const header = signatureHeader("whsec_test", t, body);
    expect(verifyTesseraWebhook("whsec_test", body, header, now)).toMatchObject({ id: "d1" });
    expect(verifyTesseraWebhook("whsec_test", Buffer.from(body), header, now + 299_000).id).toBe(
      "d1",
    );
    expect(() => verifyTesseraWebhook("whsec_test", body, header, now + 301_000)).toThrow(
      "5-minute window",
    );
    expect(() => verifyTesseraWebhook("whsec_test", body, header, now - 301_000)).toThrow(
      "5-minute window",
    );
    expect(() => verifyTesseraWebhook("whsec_test", `${body} `, header, now)).toThrow(
      "does not match",
    );
    expect(() => verifyTesseraWebhook("whsec_test", body, undefined, now)).toThrow("Malformed");
  });
});

describe("webhook events and URLs", () => {
  it("sends public replies only, and only successful changes", () => {
    const row = (action: string, metadata: Record<string, unknown> | null = null) => ({
      action,
      outcome: "SUCCESS",
      metadata,
    });
    expect(eventOfAudit(row("ticket.reply", { internal: false }))).toBe("ticket.replied");
    expect(eventOfAudit(row("ticket.reply", { internal: true }))).toBeNull();
    expect(eventOfAudit(row("ticket.reply"))).toBeNull();
    expect(eventOfAudit(row("ticket.note", { internal: true }))).toBeNull();
    expect(eventOfAudit(row("ticket.take"))).toBe("ticket.assigned");
    expect(eventOfAudit(row("ticket.reopen"))).toBe("ticket.status_changed");
    expect(eventOfAudit(row("sla.breached"))).toBe("sla.breached");
    expect(eventOfAudit({ ...row("ticket.create"), outcome: "REFUSED" })).toBeNull();
    expect(eventOfAudit(row("ticket.view"))).toBeNull();
  });

  it.each([
    ["https://hooks.example.com/tessera?x=1", null],
    ["http://10.0.0.5:8080/in", null],
    ["ftp://example.com/", "Only https:// and http://"],
    ["https://user:pw@example.com/", "Remove the user name and password"],
    ["https://example.com/#frag", "fragment"],
    ["javascript:alert(1)", "Only https:// and http://"],
    ["not a url", "Enter a full URL"],
  ])("%s", (url, problem) => {
    const found = webhookUrlProblem(url);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
