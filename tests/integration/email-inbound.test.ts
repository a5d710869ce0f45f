import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealAuditEvents } from "@/lib/audit";
import { emailConfig, type EmailConfig } from "@/lib/email/config";
import { processInbound, type InboundConfig } from "@/lib/email/inbound/process";
import { newMessageId } from "@/lib/email/message-id";
import { notifyFromAudit } from "@/lib/email/notify";
import { triageTicket } from "@/lib/tickets/triage";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

// Issue 14 §3: tickets and replies by email (lib/email/inbound/process.ts), from raw messages
// shaped like the mail clients people use. The IMAP side is tests/integration/imap-poll.test.ts.
const dirs = [
  mkdtempSync(join(tmpdir(), "tessera-inbound-")),
  mkdtempSync(join(tmpdir(), "tessera-inbound-tmp-")),
];
process.env.TESSERA_STORAGE = "local";
process.env.TESSERA_ATTACHMENT_DIR = dirs[0];
process.env.TESSERA_UPLOAD_TMP_DIR = dirs[1];
delete process.env.TESSERA_CLAMAV_URL;

const db = createTestDb();
let mailConfig: EmailConfig;
let config: InboundConfig;
let categoryId: string;

beforeAll(async () => {
  mailConfig = emailConfig({ EMAIL_FROM: "IT <it@help.test>", AUTH_URL: "https://help.test" });
  categoryId = (await makeCategory(db)).id;
  config = {
    mailbox: `it-${uniqueSuffix()}@help.test/INBOX`,
    ourAddress: "it@help.test",
    unknownSenders: "refuse",
    categoryId,
    senderPerHour: 20,
    ticketPerHour: 30,
  };
  await drain();
  // The first drain catches up with every audit event the files before this one made.
}, 120_000);
afterAll(async () => {
  await db.$disconnect();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function drain() {
  await sealAuditEvents(db, { wait: true });
  while ((await notifyFromAudit(db, mailConfig)).events > 0);
}

type Mail = {
  from: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  text?: string;
  html?: string;
};
/** A raw RFC 5322 message. */
function eml(m: Mail): Buffer {
  const id = m.messageId === undefined ? `<${uniqueSuffix()}@mail.example>` : m.messageId;
  const lines = [
    `From: ${m.from}`,
    "To: IT <it@help.test>",
    `Subject: ${m.subject ?? "Printer broken"}`,
    "Date: Fri, 04 Dec 2026 10:00:00 +0000",
    ...(id ? [`Message-ID: ${id}`] : []),
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references ? [`References: ${m.references.map((r) => `<${r}>`).join(" ")}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "MIME-Version: 1.0",
  ];
  if (m.html !== undefined) {
    lines.push("Content-Type: text/html; charset=utf-8", "", m.html);
  } else {
    lines.push(
      "Content-Type: text/plain; charset=utf-8",
      "",
      m.text ?? "The printer on floor 2 is broken.",
    );
  }
  return Buffer.from(lines.join("\r\n"));
}

const commentsOf = (ticketId: string) =>
  db.ticketComment.findMany({ where: { ticketId }, orderBy: { createdAt: "asc" } });

/** A ticket of `requester` and the signed id of the mail that told them it was received. */
async function ticketWithMail(requester: Awaited<ReturnType<typeof makeActor>>) {
  const ticket = await newTicket(requester, categoryId);
  await drain();
  const mail = await db.emailMessage.findFirstOrThrow({ where: { ticketId: ticket.id } });
  return { ticket, ourId: mail.messageId };
}

describe("a new message", () => {
  it("opens a ticket for a known sender, once however often it is delivered", async () => {
    const user = await makeActor(db, "USER");
    const raw = eml({ from: `Uma <${user.actor.email}>`, subject: "VPN drops every hour" });
    const [first, again] = await Promise.all([
      processInbound(raw, config),
      processInbound(raw, config),
    ]);
    const outcomes = [first.outcome, again.outcome].sort();
    expect(outcomes).toEqual(["duplicate", "ticket_created"]);
    const tickets = await db.ticket.findMany({ where: { requesterId: user.actor.id } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ title: "VPN drops every hour", categoryId });
    expect(await processInbound(raw, config)).toEqual({ outcome: "duplicate" });
    // The requester hears that it was received, like a ticket from the web form.
    await drain();
    const mails = await db.emailMessage.findMany({ where: { ticketId: tickets[0]!.id } });
    expect(mails.map((m) => m.kind)).toEqual(["ticket_received"]);
  });

  it("keys a message without a Message-ID by its bytes", async () => {
    const user = await makeActor(db, "USER");
    const raw = eml({ from: user.actor.email, messageId: null, subject: "No id here" });
    expect((await processInbound(raw, config)).outcome).toBe("ticket_created");
    expect((await processInbound(raw, config)).outcome).toBe("duplicate");
    const row = await db.inboundEmail.findFirstOrThrow({
      where: { fromAddress: user.actor.email },
    });
    expect(row.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("refuses an unknown sender, or opens an account for them when the mailbox allows it", async () => {
    const address = `stranger-${uniqueSuffix()}@outside.example`;
    expect((await processInbound(eml({ from: address }), config)).outcome).toBe("refused");
    expect(await db.user.findUnique({ where: { email: address } })).toBeNull();
    const open = { ...config, unknownSenders: "create" as const };
    const result = await processInbound(eml({ from: `Sam Stranger <${address}>` }), open);
    expect(result.outcome).toBe("ticket_created");
    const user = await db.user.findUniqueOrThrow({ where: { email: address } });
    expect(user).toMatchObject({ role: "USER", name: "Sam Stranger", active: true });
  });

  it("turns an HTML-only mail with a script into harmless text", async () => {
    const user = await makeActor(db, "USER");
    const result = await processInbound(
      eml({
        from: user.actor.email,
        html: "<html><body><script>alert('x')</script><p>Screen <b>flickers</b></p><img src=x onerror=alert(1)></body></html>",
      }),
      config,
    );
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: result.ticketId! } });
    expect(ticket.description).toContain("Screen FLICKERS".replace("FLICKERS", "flickers"));
    expect(ticket.description).not.toMatch(/alert|script|onerror/);
    expect(ticket.descriptionHtml).not.toMatch(/<script|onerror/);
  });

  it("survives malformed MIME (a boundary that never comes, junk headers)", async () => {
    const user = await makeActor(db, "USER");
    const raw = Buffer.from(
      [
        `From: ${user.actor.email}`,
        "Subject: =?utf-8?B?broken-base64?=",
        `Message-ID: <${uniqueSuffix()}@mail.example>`,
        'Content-Type: multipart/mixed; boundary="never"',
        "X-Junk: \u0000\u0001",
        "",
        "no boundary at all",
        "--not-the-boundary",
        "Content-Type: text/plain",
      ].join("\r\n"),
    );
    const result = await processInbound(raw, config);
    expect(["ticket_created", "refused"]).toContain(result.outcome);
  });

  it("keeps a 20 MB attachment of a message through the upload pipeline", async () => {
    const user = await makeActor(db, "USER");
    const big = Buffer.alloc(20 * 1024 * 1024, "log line 0123456789\n");
    const boundary = "b1";
    const raw = Buffer.concat([
      Buffer.from(
        [
          `From: ${user.actor.email}`,
          "Subject: Server log attached",
          `Message-ID: <${uniqueSuffix()}@mail.example>`,
          "MIME-Version: 1.0",
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          "",
          `--${boundary}`,
          "Content-Type: text/plain; charset=utf-8",
          "",
          "The log is attached.",
          `--${boundary}`,
          'Content-Type: text/plain; name="server.log"',
          'Content-Disposition: attachment; filename="server.log"',
          "Content-Transfer-Encoding: base64",
          "",
          "",
        ].join("\r\n"),
      ),
      Buffer.from(big.toString("base64").replace(/.{76}/g, "$&\r\n")),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(raw.length).toBeGreaterThan(20 * 1024 * 1024);
    const result = await processInbound(raw, config);
    expect(result.outcome).toBe("ticket_created");
    const files = await db.attachment.findMany({ where: { ticketId: result.ticketId! } });
    expect(files.map((f) => [f.name, f.size, f.state])).toEqual([
      ["server.log", big.length, "READY"],
    ]);
  }, 120_000);
});

describe("replies thread to their ticket", () => {
  it("a Gmail reply to our notification: In-Reply-To our signed id, history trimmed", async () => {
    const requester = await makeActor(db, "USER");
    const { ticket, ourId } = await ticketWithMail(requester);
    const text = [
      "Thanks, it works again.",
      "",
      "On Fri, Dec 4, 2026 at 10:00 AM IT <it@help.test> wrote:",
      "> We received your ticket",
      "> You will get an email when the help desk replies.",
    ].join("\n");
    const result = await processInbound(
      eml({
        from: requester.actor.email,
        subject: `Re: [#${ticket.number}] x`,
        inReplyTo: ourId,
        references: [ourId],
        text,
      }),
      config,
    );
    expect(result).toMatchObject({ outcome: "reply_added", ticketId: ticket.id });
    const [comment] = await commentsOf(ticket.id);
    expect(comment).toMatchObject({
      body: "Thanks, it works again.",
      internal: false,
      authorId: requester.actor.id,
    });
    const row = await db.inboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect(row.originalText).toContain("We received your ticket");
  });

  it("an Outlook reply: the header block and everything under it is cut", async () => {
    const requester = await makeActor(db, "USER");
    const { ticket, ourId } = await ticketWithMail(requester);
    const text = [
      "Still broken after the restart.",
      "",
      "From: IT <it@help.test>",
      "Sent: Friday, December 4, 2026 10:00 AM",
      "To: Uma <uma@example.test>",
      `Subject: [#${ticket.number}] Printer broken`,
      "",
      "We received your ticket",
    ].join("\r\n");
    await processInbound(eml({ from: requester.actor.email, references: [ourId], text }), config);
    const [comment] = await commentsOf(ticket.id);
    expect(comment!.body).toBe("Still broken after the restart.");
  });

  it("an Apple Mail reply from a phone: the quote and 'Sent from my iPhone' are cut", async () => {
    const requester = await makeActor(db, "USER");
    const { ticket, ourId } = await ticketWithMail(requester);
    const text = [
      "Here is the error code: 0x80070005",
      "",
      "Sent from my iPhone",
      "",
      "> On 4 Dec 2026, at 10:00, IT <it@help.test> wrote:",
      ">",
      "> We received your ticket",
    ].join("\n");
    await processInbound(eml({ from: requester.actor.email, inReplyTo: ourId, text }), config);
    const [comment] = await commentsOf(ticket.id);
    expect(comment!.body).toBe("Here is the error code: 0x80070005");
  });

  it("a reply-all from a CC'd colleague threads by the stored id and stays staff-only", async () => {
    const requester = await makeActor(db, "USER");
    const colleague = await makeActor(db, "USER");
    const first = `${uniqueSuffix()}@mail.example`;
    const created = await processInbound(
      eml({ from: requester.actor.email, messageId: `<${first}>`, subject: "Projector in room 4" }),
      config,
    );
    const result = await processInbound(
      eml({
        from: colleague.actor.email,
        inReplyTo: first,
        references: [first],
        text: "Same in room 5.",
      }),
      config,
    );
    expect(result).toMatchObject({ outcome: "note_added", ticketId: created.ticketId });
    const [note] = await commentsOf(created.ticketId!);
    expect(note).toMatchObject({ internal: true, authorId: colleague.actor.id });
    expect(note!.body).toContain("Same in room 5.");
  });

  it("reopens a resolved ticket when its requester replies", async () => {
    const requester = await makeActor(db, "USER");
    const tech = await makeActor(db, "TECHNICIAN");
    const { ticket, ourId } = await ticketWithMail(requester);
    const resolved = await triageTicket(tech, {
      ticketId: ticket.id,
      version: ticket.version,
      status: "RESOLVED",
      body: "Replaced the cable.",
    });
    expect(resolved.status).toBe("RESOLVED");
    await processInbound(
      eml({ from: requester.actor.email, inReplyTo: ourId, text: "No, it is back." }),
      config,
    );
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("OPEN");
  });

  it("takes the subject token only from the requester or staff", async () => {
    const requester = await makeActor(db, "USER");
    const stranger = await makeActor(db, "USER");
    const { ticket } = await ticketWithMail(requester);
    const subject = `Re: [#${ticket.number}] Printer broken`;
    const own = await processInbound(
      eml({ from: requester.actor.email, subject, text: "Any news?" }),
      config,
    );
    expect(own).toMatchObject({ outcome: "reply_added", ticketId: ticket.id });
    const other = await processInbound(
      eml({ from: stranger.actor.email, subject, text: "Let me in" }),
      config,
    );
    expect(other.outcome).toBe("ticket_created");
    expect(other.ticketId).not.toBe(ticket.id);
    expect((await commentsOf(ticket.id)).map((c) => c.body)).toEqual(["Any news?"]);
  });

  it("refuses a forged signed id: it threads nothing", async () => {
    const requester = await makeActor(db, "USER");
    const attacker = await makeActor(db, "USER");
    const { ticket } = await ticketWithMail(requester);
    const forged = newMessageId(ticket.number, "help.test", "x".repeat(40));
    const result = await processInbound(
      eml({ from: attacker.actor.email, inReplyTo: forged, text: "hi" }),
      config,
    );
    expect(result.outcome).toBe("ticket_created");
    expect(await commentsOf(ticket.id)).toEqual([]);
  });
});

describe("loops and noise", () => {
  it("records an out-of-office reply and changes nothing", async () => {
    const requester = await makeActor(db, "USER");
    const { ticket, ourId } = await ticketWithMail(requester);
    const before = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    const result = await processInbound(
      eml({
        from: requester.actor.email,
        subject: "Automatic reply: Printer broken",
        inReplyTo: ourId,
        headers: { "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All" },
        text: "I am out of the office until Monday.",
      }),
      config,
    );
    expect(result).toMatchObject({ outcome: "automatic", ticketId: ticket.id });
    expect(await commentsOf(ticket.id)).toEqual([]);
    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.version).toBe(before.version);
    await drain();
    expect(await db.emailMessage.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it.each([
    ["Precedence", "bulk"],
    ["Precedence", "auto_reply"],
    ["X-Autoreply", "yes"],
    ["List-Id", "<announce.lists.example>"],
    ["List-Unsubscribe", "<mailto:leave@lists.example>"],
    ["Return-Path", "<>"],
  ])("treats %s: %s as automatic: no ticket", async (name, value) => {
    const user = await makeActor(db, "USER");
    const result = await processInbound(
      eml({ from: user.actor.email, headers: { [name]: value } }),
      config,
    );
    expect(result.outcome).toBe("automatic");
    expect(await db.ticket.count({ where: { requesterId: user.actor.id } })).toBe(0);
  });

  it("drops our own notifications coming back, by signed id or by our From", async () => {
    const requester = await makeActor(db, "USER");
    const { ourId } = await ticketWithMail(requester);
    expect(
      (await processInbound(eml({ from: requester.actor.email, messageId: `<${ourId}>` }), config))
        .outcome,
    ).toBe("own_mail");
    expect((await processInbound(eml({ from: "IT <it@help.test>" }), config)).outcome).toBe(
      "own_mail",
    );
  });

  it("puts a bounce on the ticket of the mail that failed and marks the address as bouncing", async () => {
    const requester = await makeActor(db, "USER");
    const { ticket, ourId } = await ticketWithMail(requester);
    const raw = Buffer.from(
      [
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>",
        "To: it@help.test",
        "Subject: Undelivered Mail Returned to Sender",
        `Message-ID: <${uniqueSuffix()}@mx.example>`,
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        "",
        "--r",
        "Content-Type: text/plain",
        "",
        "Your message could not be delivered.",
        "--r",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example",
        "",
        `Final-Recipient: rfc822; ${requester.actor.email}`,
        "Action: failed",
        "Status: 5.1.1",
        "--r",
        "Content-Type: text/rfc822-headers",
        "",
        "From: IT <it@help.test>",
        `Message-ID: <${ourId}>`,
        "--r--",
        "",
      ].join("\r\n"),
    );
    const result = await processInbound(raw, config);
    expect(result).toMatchObject({ outcome: "bounce", ticketId: ticket.id });
    const user = await db.user.findUniqueOrThrow({ where: { id: requester.actor.id } });
    expect(user.emailBouncingAt).not.toBeNull();
    expect(await commentsOf(ticket.id)).toEqual([]);
  });

  it("caps one sender at 20 messages an hour", async () => {
    const user = await makeActor(db, "USER");
    const outcomes: string[] = [];
    for (let i = 0; i < 22; i++) {
      outcomes.push(
        (await processInbound(eml({ from: user.actor.email, subject: `Flood ${i}` }), config))
          .outcome,
      );
    }
    expect(outcomes.filter((o) => o === "ticket_created")).toHaveLength(20);
    expect(outcomes.slice(20)).toEqual(["rate_limited", "rate_limited"]);
  });
});

describe("on the ticket, for staff", () => {
  it("lists the bounce and the out-of-office that added nothing", async () => {
    const { ticketMailNotices } = await import("@/lib/email/queries");
    const requester = await makeActor(db, "USER");
    const tech = await makeActor(db, "TECHNICIAN");
    const { ticket, ourId } = await ticketWithMail(requester);
    await processInbound(
      eml({
        from: requester.actor.email,
        inReplyTo: ourId,
        headers: { "Auto-Submitted": "auto-replied" },
        text: "Out of office.",
      }),
      config,
    );
    const notices = await ticketMailNotices(tech.actor, ticket.id);
    expect(notices.map((n) => [n.outcome, n.fromAddress])).toEqual([
      ["automatic", requester.actor.email],
    ]);
    await expect(ticketMailNotices(requester.actor, ticket.id)).rejects.toThrow();
  });
});
