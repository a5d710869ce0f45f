import "server-only";
// One message from the help desk mailbox (issue 14 §3, ADR 023). In order:
//   1. parsed (mailparser), keyed by its Message-ID (or the sha256 of the raw bytes): a key
//      already seen in this mailbox is a duplicate and does nothing;
//   2. classified (classify.ts): our own mail coming back is dropped; a delivery report is
//      recorded on the ticket of the mail that failed and marks that recipient as bouncing; an
//      automatic reply or list mail is recorded and nothing else (no ticket, no reply, no status
//      change, so nothing is mailed back: no loops);
//   3. rate capped per sender and per ticket (a backstop against floods);
//   4. threaded (thread.ts) to a ticket, or a new ticket for the sender;
//   5. written through the same services as the web forms (permission checks, status rules,
//      audit, notifications), with the InboundEmail row in their transaction (its unique key
//      makes a second delivery of the message roll back: exactly once).
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { simpleParser, type ParsedMail } from "mailparser";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { receiveUpload } from "@/lib/attachments/upload";
import { db, type Tx } from "@/lib/db";
import { bareAddress } from "@/lib/email/config";
import { bounceDetails, classify } from "@/lib/email/inbound/classify";
import { originalText, visibleText } from "@/lib/email/inbound/text";
import { findTicket } from "@/lib/email/inbound/thread";
import { logger } from "@/lib/logger";
import type { ServiceContext } from "@/lib/service-context";
import { addReply, insertComment } from "@/lib/tickets/comments";
import { auditTicket } from "@/lib/tickets/mutation";
import { renderedColumns } from "@/lib/markdown/render";
import { reopenTicket } from "@/lib/tickets/reopen";
import { TITLE_MAX, TITLE_MIN } from "@/lib/tickets/schemas";
import { createTicket } from "@/lib/tickets/service";

export type InboundConfig = {
  /** A stable name of the mailbox ("user@host/INBOX"): keys are unique per mailbox. */
  mailbox: string;
  /** Our From address: mail from it is our own coming back. */
  ourAddress: string;
  /** Mail from an address with no account: open an account for it, or refuse it. */
  unknownSenders: "create" | "refuse";
  /** The category of tickets opened by email; null: the first open category. */
  categoryId: string | null;
  senderPerHour: number;
  ticketPerHour: number;
};

export const INBOUND_DEFAULTS = { senderPerHour: 20, ticketPerHour: 30 } as const;

export type InboundOutcome =
  | "duplicate"
  | "own_mail"
  | "bounce"
  | "automatic"
  | "rate_limited"
  | "refused"
  | "ticket_created"
  | "reply_added"
  | "note_added";

type Sender = { id: string; email: string; name: string; role: "ADMIN" | "TECHNICIAN" | "USER" };

const REQUEST = { ip: null, userAgent: "email" } as const;

export async function processInbound(
  raw: Buffer,
  config: InboundConfig,
): Promise<{ outcome: InboundOutcome; ticketId?: string | null; detail?: string }> {
  const mail = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
  const messageId = mail.messageId?.trim().replace(/^<|>$/g, "") || null;
  const dedupeKey = messageId ?? `sha256:${createHash("sha256").update(raw).digest("hex")}`;
  const seen = await db.inboundEmail.findUnique({
    where: { mailbox_dedupeKey: { mailbox: config.mailbox, dedupeKey } },
    select: { id: true },
  });
  if (seen) return { outcome: "duplicate" };

  const from = bareAddress(mail.from?.value[0]?.address ?? "");
  const full = originalText(mail);
  const base = {
    mailbox: config.mailbox,
    dedupeKey,
    messageId,
    fromAddress: from.slice(0, 320),
    subject: (mail.subject ?? "").slice(0, 500),
    originalText: full.slice(0, 200_000),
  };
  /** The record alone (for what makes no ticket change); a duplicate key means done already. */
  const record = async (
    outcome: InboundOutcome,
    extra: { ticketId?: string | null; detail?: string } = {},
  ) => {
    await db.inboundEmail
      .create({
        data: { ...base, outcome, ticketId: extra.ticketId ?? null, detail: extra.detail ?? null },
      })
      .catch((err: { code?: string }) => {
        if (err.code !== "P2002") throw err;
      });
    return { outcome, ...extra };
  };

  const kind = classify(mail, config.ourAddress);
  if (kind.kind === "own") return record("own_mail");
  if (kind.kind === "bounce") return bounce(mail, base, record);

  const ticket = await findTicket(mail, from);
  if (kind.kind === "automatic") {
    return record("automatic", { ticketId: ticket?.id ?? null, detail: kind.reason });
  }
  const flood = await floodCheck(from, ticket?.id ?? null, config);
  if (flood) return record("rate_limited", { ticketId: ticket?.id ?? null, detail: flood });

  const sender = await senderAccount(mail, from, config);
  if (!sender) return record("refused", { detail: "unknown or inactive sender" });
  // The subject token alone is accepted only from the requester or staff (thread.ts decides
  // which evidence it found; our signed ids and stored ids thread anyone).
  const usable =
    ticket &&
    (ticket.by !== "subject" || sender.role !== "USER" || ticket.requesterId === sender.id)
      ? ticket
      : null;

  const files = await storeFiles(mail, sender);
  const body = visibleText(full);
  const write =
    (outcome: InboundOutcome, extra: { ticketId?: string; commentId?: string }) =>
    async (tx: Tx) => {
      await tx.inboundEmail.create({
        data: {
          ...base,
          outcome,
          ticketId: extra.ticketId ?? null,
          commentId: extra.commentId ?? null,
        },
      });
    };
  const ctx = (inTransaction: (tx: Tx) => Promise<void>): ServiceContext => ({
    actor: sender,
    request: { ...REQUEST, requestId: `email-${randomBytes(8).toString("hex")}` },
    inTransaction,
  });

  try {
    if (usable && usable.status !== "CLOSED") {
      const participant = usable.requesterId === sender.id || sender.role !== "USER";
      if (!participant) return await ccNote(usable, sender, body, files, base);
      if (usable.status === "RESOLVED" && usable.requesterId === sender.id) {
        const result = await reopenTicket(ctx(write("reply_added", { ticketId: usable.id })), {
          ticketId: usable.id,
          version: usable.version,
          body: body || "(reopened by email)",
        });
        return { outcome: "reply_added", ticketId: result.id };
      }
      const result = await addReply(ctx(write("reply_added", { ticketId: usable.id })), {
        ticketId: usable.id,
        body,
        attachmentIds: files,
      });
      return { outcome: "reply_added", ticketId: result.ticket.id };
    }
    const categoryId = config.categoryId ?? (await firstCategory());
    if (!categoryId) return await record("refused", { detail: "no open category" });
    const result = await createTicket(ctx(write("ticket_created", {})), {
      title: titleOf(mail.subject, from),
      description: body,
      categoryId,
      attachmentIds: files,
      // A reply to a closed ticket opens a follow-up of it (the requester's own only).
      ...(usable?.status === "CLOSED" &&
        usable.requesterId === sender.id && { followUpOfId: usable.id }),
    });
    await db.inboundEmail.updateMany({
      where: { mailbox: config.mailbox, dedupeKey },
      data: { ticketId: result.id },
    });
    return { outcome: "ticket_created", ticketId: result.id };
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") return { outcome: "duplicate" };
    throw err;
  }
}

function titleOf(subject: string | undefined, from: string): string {
  const clean = (subject ?? "")
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const title = clean.length >= TITLE_MIN ? clean : `Email from ${from}`;
  return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title;
}

async function firstCategory(): Promise<string | null> {
  const first = await db.category.findFirst({
    where: { archived: false },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true },
  });
  return first?.id ?? null;
}

/** The sender's active account; opened for an unknown address when the mailbox allows it. */
async function senderAccount(
  mail: ParsedMail,
  from: string,
  config: InboundConfig,
): Promise<Sender | null> {
  if (!from.includes("@")) return null;
  const select = { id: true, email: true, name: true, role: true, active: true } as const;
  const user = await db.user.findUnique({ where: { email: from }, select });
  if (user) return user.active ? user : null;
  if (config.unknownSenders !== "create") return null;
  const name = (mail.from?.value[0]?.name || from.split("@")[0] || from).slice(0, 100);
  // No password anyone knows: the person signs in after "Forgot your password?".
  const passwordHash = await hashPassword(randomBytes(32).toString("base64url"));
  return db.$transaction(async (tx) => {
    const created = await tx.user.upsert({
      where: { email: from },
      update: {},
      create: { email: from, name, passwordHash, role: "USER" },
      select,
    });
    await recordAudit(tx, {
      actor: null,
      action: "user.create",
      entityType: "User",
      entityId: created.id,
      outcome: "SUCCESS",
      after: { email: created.email, role: "USER" },
      metadata: { via: "email" },
      context: { ...REQUEST, requestId: null },
    });
    return created;
  });
}

/** A flood from one sender or on one ticket within the hour: the reason, or null. */
async function floodCheck(from: string, ticketId: string | null, config: InboundConfig) {
  const [row] = await db.$queryRaw<{ sender: number; ticket: number }[]>`
    SELECT (count(*) FILTER (WHERE "fromAddress" = ${from}))::int AS sender,
           (count(*) FILTER (WHERE "ticketId" = ${ticketId}))::int AS ticket
      FROM "InboundEmail"
     WHERE "mailbox" = ${config.mailbox} AND "receivedAt" > now() - interval '1 hour'
       AND ("fromAddress" = ${from} OR "ticketId" = ${ticketId})`;
  if (row!.sender >= config.senderPerHour)
    return `more than ${config.senderPerHour} from this sender in an hour`;
  if (ticketId && row!.ticket >= config.ticketPerHour)
    return `more than ${config.ticketPerHour} on this ticket in an hour`;
  return null;
}

/** Attachments and inline images through the upload pipeline; a refused file is skipped. */
async function storeFiles(mail: ParsedMail, sender: Sender): Promise<string[]> {
  const ids: string[] = [];
  for (const part of mail.attachments.slice(0, 10)) {
    if (part.contentType.startsWith("message/") || part.contentType === "text/rfc822-headers")
      continue;
    try {
      const info = await receiveUpload({
        actor: sender,
        fileName: part.filename ? encodeURIComponent(part.filename) : null,
        declaredLength: part.content.length,
        body: Readable.from(part.content),
      });
      ids.push(info.id);
    } catch (err) {
      logger.info({ err, file: part.filename }, "inbound email: attachment not kept");
    }
  }
  return ids;
}

type Base = {
  mailbox: string;
  dedupeKey: string;
  messageId: string | null;
  fromAddress: string;
  subject: string;
  originalText: string;
};

/**
 * A reply-all from someone who is neither the requester nor staff: kept on the ticket as a
 * staff-only note (they may not post on someone else's ticket, and must not learn more of it),
 * so the help desk sees it and can answer.
 */
async function ccNote(
  ticket: { id: string; number: number },
  sender: Sender,
  body: string,
  files: string[],
  base: Base,
) {
  const text = `Email from ${sender.name} <${sender.email}> (copied on the thread):\n\n${body}`;
  const rendered = renderedColumns(text);
  const commentId = await db.$transaction(async (tx) => {
    const comment = await insertComment(tx, {
      ticketId: ticket.id,
      authorId: sender.id,
      body: text,
      rendered,
      internal: true,
      attachmentIds: files,
    });
    await auditTicket(
      tx,
      { actor: sender, request: { ...REQUEST, requestId: null } },
      "ticket.note",
      ticket,
      {
        metadata: { commentId: comment.id, internal: true, via: "email", copied: true },
      },
    );
    await tx.inboundEmail.create({
      data: { ...base, outcome: "note_added", ticketId: ticket.id, commentId: comment.id },
    });
    return comment.id;
  });
  return { outcome: "note_added" as const, ticketId: ticket.id, detail: commentId };
}

/** A delivery report: on the failed mail's ticket, and the recipient marked as bouncing. */
async function bounce(
  mail: ParsedMail,
  base: Base,
  record: (
    o: InboundOutcome,
    e?: { ticketId?: string | null; detail?: string },
  ) => Promise<{ outcome: InboundOutcome }>,
) {
  const { recipient, original } = bounceDetails(mail);
  const sent = original
    ? await db.emailMessage.findUnique({
        where: { messageId: original },
        select: { ticketId: true, toAddress: true },
      })
    : null;
  const address = recipient ?? sent?.toAddress ?? null;
  if (address) {
    const users = await db.user.updateMany({
      where: { email: address, emailBouncingAt: null },
      data: { emailBouncingAt: new Date() },
    });
    if (users.count > 0) {
      await recordAuditStandalone(db, {
        actor: null,
        action: "user.email_bouncing",
        entityType: "User",
        entityId:
          (await db.user.findUnique({ where: { email: address }, select: { id: true } }))?.id ??
          null,
        outcome: "SUCCESS",
        metadata: { via: "email", original: original ?? null },
        context: { ...REQUEST, requestId: null },
      });
    }
  }
  return record("bounce", {
    ticketId: sent?.ticketId ?? null,
    detail: `delivery to ${address ?? "an unknown recipient"} failed`,
  });
}
