import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealAuditEvents } from "@/lib/audit";
import { emailConfig, type EmailConfig } from "@/lib/email/config";
import { deliverEmails } from "@/lib/email/deliver";
import { ticketOfMessageId } from "@/lib/email/message-id";
import { notifyFromAudit } from "@/lib/email/notify";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { triageTicket } from "@/lib/tickets/triage";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { receivedFor, smtpServer } from "@/tests/support/mail";
import { newTicket } from "@/tests/support/tickets";

// Issue 14 §1: notifications made from the audit stream (lib/email/notify.ts), queued with their
// headers, and sent to a real SMTP server (the smtp-server package, started by npm test).
const db = createTestDb();
let smtp: EmailConfig;
let kept: EmailConfig;

/** What the background loop does: seal the new audit events, then make their notifications. */
async function drain(config: EmailConfig = smtp) {
  await sealAuditEvents(db, { wait: true });
  for (;;) {
    const { events } = await notifyFromAudit(db, config);
    if (events === 0) return;
  }
}
async function sendAll(config: EmailConfig = smtp) {
  for (;;) {
    const { sent, failed } = await deliverEmails(db, config);
    if (sent + failed === 0) return;
  }
}
const mailsOf = (ticketId: string) =>
  db.emailMessage.findMany({ where: { ticketId }, orderBy: { id: "asc" } });

let category: { id: string; name: string };
beforeAll(async () => {
  const env = { AUTH_URL: "https://help.example.com", EMAIL_FROM: "IT <it@example.com>" };
  smtp = emailConfig({ ...env, SMTP_URL: smtpServer().url });
  kept = emailConfig(env);
  category = await makeCategory(db);
  await drain(); // starts the cursor at the newest event
  // The first drain catches up with every audit event the files before this one made.
}, 120_000);
afterAll(() => db.$disconnect());

describe("who is mailed about what", () => {
  it("confirms a new ticket to its requester, sends it over SMTP with our headers", async () => {
    const requester = await makeActor(db, "USER");
    const ticket = await newTicket(requester, category.id, {
      title: `Printer <script>alert(1)</script> ${uniqueSuffix()}`,
    });
    await drain();
    const [mail, ...more] = await mailsOf(ticket.id);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({
      kind: "ticket_received",
      toAddress: requester.actor.email,
      status: "QUEUED",
    });
    expect(mail!.subject).toMatch(new RegExp(`^\\[#${ticket.number}\\] Printer <script>`));
    expect(mail!.html).not.toContain("<script>alert(1)</script>");
    expect(mail!.html).toContain("&lt;script&gt;");
    expect(mail!.html).toContain(`https://help.example.com/tickets/${ticket.number}`);
    expect(ticketOfMessageId(mail!.messageId)).toBe(ticket.number);

    await sendAll();
    const row = await db.emailMessage.findUniqueOrThrow({ where: { id: mail!.id } });
    expect(row).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
    const [received] = await receivedFor(requester.actor.email);
    expect(received!.messageId).toBe(`<${mail!.messageId}>`);
    expect(received!.subject).toBe(mail!.subject);
    expect(received!.from?.text).toBe('"IT" <it@example.com>');
    expect(received!.headers.get("auto-submitted")).toBe("auto-generated");
    expect(received!.headers.get("x-auto-response-suppress")).toBe("All");
    expect(received!.text).toContain("We received your ticket");
    expect(received!.html).toContain("&lt;script&gt;");
  });

  it("mails a staff reply to the requester, never an internal note", async () => {
    const requester = await makeActor(db, "USER");
    const tech = await makeActor(db, "TECHNICIAN");
    const ticket = await newTicket(requester, category.id);
    await drain();
    await addInternalNote(tech, {
      ticketId: ticket.id,
      body: "Secret: the admin password is 1234",
    });
    await addReply(tech, { ticketId: ticket.id, body: "Please restart the printer." });
    await drain();
    const mails = await mailsOf(ticket.id);
    expect(mails.map((m) => [m.kind, m.toAddress])).toEqual([
      ["ticket_received", requester.actor.email],
      ["reply", requester.actor.email],
    ]);
    expect(mails[1]!.text).toContain("Please restart the printer.");
    expect(mails.some((m) => m.text.includes("Secret") || m.html.includes("Secret"))).toBe(false);
    // The reply threads under the first mail of the ticket.
    const headers = mails[1]!.headers as Record<string, string>;
    expect(headers["In-Reply-To"]).toBe(`<${mails[0]!.messageId}>`);
    expect(headers["References"]).toBe(`<${mails[0]!.messageId}>`);
  });

  it("tells the assignee of a requester's reply, and not the requester themself", async () => {
    const requester = await makeActor(db, "USER");
    const tech = await makeActor(db, "TECHNICIAN");
    const ticket = await newTicket(requester, category.id);
    await triageTicket(tech, {
      ticketId: ticket.id,
      version: ticket.version,
      assigneeId: tech.actor.id,
    });
    await drain();
    // Taking a ticket yourself mails nobody but the requester's confirmation.
    expect((await mailsOf(ticket.id)).map((m) => m.kind)).toEqual(["ticket_received"]);
    await addReply(requester, { ticketId: ticket.id, body: "It is still broken." });
    await drain();
    const last = (await mailsOf(ticket.id)).at(-1)!;
    expect(last).toMatchObject({ kind: "assignee_reply", toAddress: tech.actor.email });
    expect(last.text).toContain("It is still broken.");
  });

  it("makes one mail of a reply that also resolves, and honours turned-off kinds", async () => {
    const requester = await makeActor(db, "USER");
    const admin = await makeActor(db, "ADMIN");
    const tech = await makeActor(db, "TECHNICIAN");
    await db.user.update({
      where: { id: tech.actor.id },
      data: { emailOff: ["assigned", "assignee_reply"] },
    });
    const ticket = await newTicket(requester, category.id);
    await triageTicket(admin, {
      ticketId: ticket.id,
      version: ticket.version,
      assigneeId: tech.actor.id,
      status: "RESOLVED",
      body: "Replaced the toner.",
    });
    await drain();
    const mails = await mailsOf(ticket.id);
    expect(mails.map((m) => [m.kind, m.toAddress])).toEqual([
      ["ticket_received", requester.actor.email],
      ["resolved", requester.actor.email],
    ]);
    expect(mails[1]!.text).toContain("Replaced the toner.");
    expect(mails[1]!.text).toContain("Reply on the ticket page to reopen it");
  });

  it("mails followers of a category about new tickets, not inactive or plain users", async () => {
    const requester = await makeActor(db, "USER");
    const follower = await makeActor(db, "TECHNICIAN");
    const gone = await makeActor(db, "TECHNICIAN");
    const own = await makeCategory(db);
    await db.categoryFollow.createMany({
      data: [follower, gone].map((u) => ({ userId: u.actor.id, categoryId: own.id })),
    });
    await db.user.update({ where: { id: gone.actor.id }, data: { active: false } });
    const ticket = await newTicket(requester, own.id);
    await drain();
    expect((await mailsOf(ticket.id)).map((m) => [m.kind, m.toAddress])).toEqual([
      ["ticket_received", requester.actor.email],
      ["category_new", follower.actor.email],
    ]);
  });

  it("keeps mail without SMTP (the embedded demo) and sends nothing", async () => {
    const requester = await makeActor(db, "USER");
    const ticket = await newTicket(requester, category.id);
    await drain(kept);
    const [mail] = await mailsOf(ticket.id);
    expect(mail).toMatchObject({ status: "KEPT", attempts: 0 });
    await sendAll(smtp);
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: mail!.id } })).toMatchObject({
      status: "KEPT",
      attempts: 0,
    });
  });
});

describe("delivery failures", () => {
  async function mailTo(local: string) {
    const requester = await makeActor(db, "USER", {
      email: `${local}-${uniqueSuffix()}@example.net`,
    });
    const ticket = await newTicket(requester, category.id);
    await drain();
    await sendAll();
    const [mail] = await mailsOf(ticket.id);
    return mail!;
  }

  it("gives up at once on a permanent refusal (5xx)", async () => {
    const mail = await mailTo("reject");
    expect(mail).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(mail.lastError).toMatch(/550|No such user/);
  });

  it("tries a transient refusal (4xx) again later, with the error kept", async () => {
    const mail = await mailTo("tempfail");
    expect(mail).toMatchObject({ status: "QUEUED", attempts: 1 });
    expect(mail.lastError).toMatch(/451|Try again/);
    const [row] = await db.$queryRaw<{ wait: number }[]>`
      SELECT extract(epoch FROM "nextAttemptAt" - now())::float8 AS wait
        FROM "EmailMessage" WHERE "id" = ${mail.id}`;
    expect(row!.wait).toBeGreaterThan(15); // the backoff: ~30 s after the first failure
  });

  it("tries again when the SMTP server is down, and loses nothing", async () => {
    const requester = await makeActor(db, "USER");
    const ticket = await newTicket(requester, category.id);
    await drain();
    const down = { ...smtp, smtpUrl: "smtp://127.0.0.1:9" };
    await deliverEmails(db, down);
    const [mail] = await mailsOf(ticket.id);
    expect(mail).toMatchObject({ status: "QUEUED", attempts: 1 });
    expect(mail!.lastError).toMatch(/ECONNREFUSED/);
    // Due again (as after the backoff): the next round sends it.
    await db.emailMessage.update({ where: { id: mail!.id }, data: { nextAttemptAt: new Date(0) } });
    await sendAll();
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: mail!.id } })).toMatchObject({
      status: "SENT",
      attempts: 2,
    });
    expect(await receivedFor(requester.actor.email)).toHaveLength(1);
  });
});

describe("security alerts by email (TESSERA_SECURITY_EMAIL)", () => {
  it("mails warnings through the outbox, one per event type and address per window", async () => {
    const { buildSecurityEvent } = await import("@/lib/security/events");
    const { enqueueOutbox } = await import("@/lib/outbox/store");
    const { createOutboxWorker } = await import("@/lib/outbox/worker");
    const address = `security-${uniqueSuffix()}@example.test`;
    const worker = createOutboxWorker({ db, destinations: { email: [address] } });
    const flood = Array.from({ length: 3 }, () =>
      buildSecurityEvent("auth.sign_in_failures", { ip: "203.0.113.9", email: "x@evil.example" }),
    );
    for (const event of flood) await enqueueOutbox(db, event, ["email"]);
    await enqueueOutbox(db, buildSecurityEvent("user.role_changed", { to: "ADMIN" }), ["email"]);
    // Other files' rows may be due too: run rounds until ours are delivered.
    for (let i = 0; i < 20; i++) if ((await worker.runOnce()).delivered === 0) break;
    const mails = await db.emailMessage.findMany({
      where: { toAddress: address },
      orderBy: { id: "asc" },
    });
    // Delivered concurrently: in either order.
    expect(mails.map((m) => [m.kind, m.subject]).sort()).toEqual([
      ["security_alert", "[Tessera security] auth.sign_in_failures (warning)"],
      ["security_alert", "[Tessera security] user.role_changed (warning)"],
    ]);
    const failures = mails.find((m) => m.subject.includes("sign_in_failures"))!;
    expect(failures.text).toContain("ip: 203.0.113.9");
    expect(failures.text).toContain("/admin/security");
  });

  it("mails refusals, throttling, MFA changes and anomalies, not every sign-out", async () => {
    const { mailsEvent } = await import("@/lib/email/security-alert");
    const { SECURITY_EVENTS } = await import("@/lib/security/events");
    const mailed = Object.entries(SECURITY_EVENTS)
      .filter(([type, severity]) => mailsEvent({ type, severity }))
      .map(([type]) => type);
    expect(mailed).toEqual(
      expect.arrayContaining([
        "auth.throttled",
        "access.refused",
        "auth.mfa_changed",
        "security.anomaly",
        "audit.chain_broken",
      ]),
    );
    expect(mailed).not.toContain("auth.sessions_revoked");
    expect(mailed).not.toContain("audit.anchor");
  });
});

describe("one's own email settings (account page)", () => {
  it("turns kinds off and follows categories, audited with before and after", async () => {
    const { updateNotificationSettings, notificationSettings } =
      await import("@/lib/email/preferences");
    const tech = await makeActor(db, "TECHNICIAN");
    const own = await makeCategory(db);
    await updateNotificationSettings(tech, { on: ["assigned"], follow: [own.id] });
    const settings = await notificationSettings(tech.actor);
    expect(settings.kinds.filter((k) => k.on).map((k) => k.kind)).toEqual(["assigned"]);
    expect(settings.categories?.find((c) => c.id === own.id)?.followed).toBe(true);
    const [event] = await db.auditEvent.findMany({
      where: { action: "account.notifications", entityId: tech.actor.id },
    });
    expect(event!.before).toEqual({ emailOff: [], follow: [] });
    expect(event!.after).toMatchObject({ follow: [own.id] });
    expect((event!.after as { emailOff: string[] }).emailOff).toContain("assignee_reply");
  });

  it("refuses follows to plain users and categories that do not exist or are archived", async () => {
    const { updateNotificationSettings } = await import("@/lib/email/preferences");
    const user = await makeActor(db, "USER");
    const tech = await makeActor(db, "TECHNICIAN");
    const archived = await makeCategory(db, { archived: true });
    await expect(
      updateNotificationSettings(user, { on: [], follow: [category.id] }),
    ).rejects.toThrow("Only the help desk can follow categories.");
    for (const id of [archived.id, "no-such-category"]) {
      await expect(updateNotificationSettings(tech, { on: [], follow: [id] })).rejects.toThrow(
        "Choose categories from the list.",
      );
    }
    expect(await db.categoryFollow.count({ where: { userId: tech.actor.id } })).toBe(0);
  });

  it("offers a plain user only the requester's kinds", async () => {
    const { notificationSettings } = await import("@/lib/email/preferences");
    const user = await makeActor(db, "USER");
    const settings = await notificationSettings(user.actor);
    expect(settings.kinds.map((k) => k.kind)).toEqual(["ticket_received", "reply", "resolved"]);
    expect(settings.categories).toBeNull();
  });
});

describe("a bouncing address", () => {
  it("gets no notifications until its owner saves their email settings", async () => {
    const { updateNotificationSettings, notificationSettings } =
      await import("@/lib/email/preferences");
    const requester = await makeActor(db, "USER");
    await db.user.update({
      where: { id: requester.actor.id },
      data: { emailBouncingAt: new Date() },
    });
    const paused = await newTicket(requester, category.id);
    await drain();
    expect(await mailsOf(paused.id)).toEqual([]);
    expect((await notificationSettings(requester.actor)).bouncingAt).not.toBeNull();

    await updateNotificationSettings(requester, { on: ["ticket_received"], follow: [] });
    expect((await notificationSettings(requester.actor)).bouncingAt).toBeNull();
    const resumed = await newTicket(requester, category.id);
    await drain();
    expect((await mailsOf(resumed.id)).map((m) => m.kind)).toEqual(["ticket_received"]);
  });
});
