// Ticket notifications, made from the audit stream: a job of the background loop reads the
// sealed audit events past its cursor (like the anomaly rules, lib/security/anomaly.ts), decides
// who hears about each ticket change, and queues the mail in the same transaction that moves the
// cursor: each event is notified exactly once, whichever path made the change (form, bulk,
// triage, API), and the write path pays nothing for it.
//
// Rules (issue 14): the requester hears that their ticket was received, of each public reply by
// someone else and of its resolution; staff hear of tickets assigned to them, of replies on them,
// and (when they follow its category) of each new ticket. Internal notes are never mailed to a
// requester; nobody is mailed about their own change (but a requester's own new ticket is
// confirmed); inactive accounts, bouncing addresses and kinds a person turned off get nothing. Changes made by one
// request (a reply that also resolves) make one mail per person.
import { createElement } from "react";
import { lockAuditCursor, moveAuditCursor } from "@/lib/audit/cursor";
import type { Db, Tx } from "@/lib/db";
import { csatMailLinks } from "@/lib/csat/mail";
import { emailConfig, type EmailConfig } from "@/lib/email/config";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/email/kinds";
import { inboundMailboxSetting } from "@/lib/email/inbound/settings";
import { queueEmail } from "@/lib/email/queue";
import { readSetting } from "@/lib/settings/store";
import { TicketMail } from "@/lib/email/templates/ticket";
import { SLA_TARGET_LABELS, SLA_TARGETS, type SlaTargetName } from "@/lib/sla/clock";

const slaTargetLabel = (target: string | undefined) =>
  (SLA_TARGETS as readonly string[]).includes(target ?? "")
    ? SLA_TARGET_LABELS[target as SlaTargetName]
    : "Service level";

const CURSOR = "email-notifications";

type AuditRow = {
  seq: bigint;
  action: string;
  actorId: string | null;
  entityId: string | null;
  outcome: string;
  after: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  requestId: string | null;
};

type Intent = {
  ticketId: string;
  userId: string;
  actorId: string | null;
  kinds: Set<NotificationKind>;
  commentId: string | null;
  /** sla.warning / sla.breached: the target and its due time. */
  sla: { target: string; dueAt: string } | null;
};

// The first kind (in this order) names a mail that covers several changes.
const PRIORITY: NotificationKind[] = [
  "resolved",
  "assigned",
  "reply",
  "assignee_reply",
  "ticket_received",
  "category_new",
  "sla_breached",
  "sla_warning",
];

type TicketInfo = {
  id: string;
  number: number;
  title: string;
  requesterId: string;
  assigneeId: string | null;
  categoryId: string;
  category: { name: string; defaultAssigneeId: string | null };
};

/** The recipients of one event, before preferences and checks: [userId, kind][]. */
async function recipientsOf(
  tx: Tx,
  row: AuditRow,
  ticket: TicketInfo,
): Promise<[string, NotificationKind][]> {
  const after = row.after ?? {};
  switch (row.action) {
    case "ticket.create": {
      const out: [string, NotificationKind][] = [[ticket.requesterId, "ticket_received"]];
      if (typeof after.assigneeId === "string") out.push([after.assigneeId, "assigned"]);
      const followers = await tx.categoryFollow.findMany({
        where: { categoryId: ticket.categoryId },
        select: { userId: true },
      });
      for (const f of followers) out.push([f.userId, "category_new"]);
      return out;
    }
    case "ticket.reply": {
      if (row.metadata?.internal !== false) return [];
      const out: [string, NotificationKind][] = [[ticket.requesterId, "reply"]];
      if (ticket.assigneeId) out.push([ticket.assigneeId, "assignee_reply"]);
      return out;
    }
    case "ticket.assign":
      return typeof after.assigneeId === "string" ? [[after.assigneeId, "assigned"]] : [];
    case "ticket.status":
    case "ticket.close":
      return after.status === "RESOLVED" ? [[ticket.requesterId, "resolved"]] : [];
    case "sla.warning":
    case "sla.breached": {
      // The assignee; unassigned: the category's default assignee, else every active admin.
      const kind = row.action === "sla.warning" ? "sla_warning" : "sla_breached";
      const people = ticket.assigneeId
        ? [ticket.assigneeId]
        : ticket.category.defaultAssigneeId
          ? [ticket.category.defaultAssigneeId]
          : (
              await tx.user.findMany({
                where: { role: "ADMIN", active: true, kind: "PERSON" },
                select: { id: true },
              })
            ).map((u) => u.id);
      return people.map((id) => [id, kind]);
    }
    default:
      return [];
  }
}

const NOTIFIED_ACTIONS = [
  "ticket.create",
  "ticket.reply",
  "ticket.assign",
  "ticket.status",
  "ticket.close",
  "sla.warning",
  "sla.breached",
];

export async function notifyFromAudit(
  db: Db,
  config: EmailConfig = emailConfig(),
  batchSize = 200,
): Promise<{ events: number; queued: number }> {
  // Read before the transaction: inside it, a query on another connection would wait for this
  // one on the embedded database (one session), and time out.
  const replyByEmail = (await readSetting(inboundMailboxSetting)).value.enabled;
  return db.$transaction(
    async (tx) => {
      const lastId = await lockAuditCursor(tx, CURSOR);
      const rows = await tx.$queryRaw<AuditRow[]>`
        SELECT "seq", "action", "actorId", "entityId", "outcome"::text AS "outcome", "after",
               "metadata", "requestId"
          FROM "AuditEvent" WHERE "seq" > ${lastId} ORDER BY "seq" LIMIT ${batchSize}`;
      if (rows.length === 0) return { events: 0, queued: 0 };

      const relevant = rows.filter(
        (r) =>
          r.outcome === "SUCCESS" && r.entityId !== null && NOTIFIED_ACTIONS.includes(r.action),
      );
      const tickets = await loadTickets(
        tx,
        relevant.map((r) => r.entityId!),
      );
      const intents = new Map<string, Intent>();
      for (const row of relevant) {
        const ticket = tickets.get(row.entityId!);
        if (!ticket) continue; // deleted since
        for (const [userId, kind] of await recipientsOf(tx, row, ticket)) {
          // Nobody hears of their own change, except the confirmation of their own new ticket.
          if (userId === row.actorId && kind !== "ticket_received") continue;
          const key = `${row.requestId ?? row.seq}|${ticket.id}|${userId}`;
          const intent = intents.get(key) ?? {
            ticketId: ticket.id,
            userId,
            actorId: row.actorId,
            kinds: new Set<NotificationKind>(),
            commentId: null,
            sla: null,
          };
          intent.kinds.add(kind);
          if (row.action === "ticket.reply" && typeof row.metadata?.commentId === "string") {
            intent.commentId = row.metadata.commentId;
          }
          const after = row.after ?? {};
          if (typeof after.target === "string" && typeof after.dueAt === "string") {
            intent.sla = { target: after.target, dueAt: after.dueAt };
          }
          intents.set(key, intent);
        }
      }
      let queued = 0;
      if (intents.size > 0) {
        queued = await queueIntents(tx, config, [...intents.values()], tickets, replyByEmail);
      }
      await moveAuditCursor(tx, CURSOR, rows.at(-1)!.seq);
      return { events: rows.length, queued };
    },
    { isolationLevel: "ReadCommitted", timeout: 60_000 },
  );
}

async function loadTickets(tx: Tx, ids: string[]): Promise<Map<string, TicketInfo>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.ticket.findMany({
    where: { id: { in: [...new Set(ids)] }, deletedAt: null },
    select: {
      id: true,
      number: true,
      title: true,
      requesterId: true,
      assigneeId: true,
      categoryId: true,
      category: { select: { name: true, defaultAssigneeId: true } },
    },
  });
  return new Map(rows.map((t) => [t.id, t]));
}

const REQUESTER_KINDS = new Set<NotificationKind>(["ticket_received", "reply", "resolved"]);

async function queueIntents(
  tx: Tx,
  config: EmailConfig,
  intents: Intent[],
  tickets: Map<string, TicketInfo>,
  /** The help desk mailbox is read (Admin -> Settings): answering a mail reaches the ticket. */
  replyByEmail: boolean,
): Promise<number> {
  const userIds = [...new Set(intents.flatMap((i) => [i.userId, i.actorId ?? i.userId]))];
  const users = new Map(
    (
      await tx.user.findMany({
        where: { id: { in: userIds } },
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          active: true,
          emailOff: true,
          emailBouncingAt: true,
          kind: true,
        },
      })
    ).map((u) => [u.id, u]),
  );
  const commentIds = intents.flatMap((i) => (i.commentId ? [i.commentId] : []));
  const comments = new Map(
    (
      await tx.ticketComment.findMany({
        where: { id: { in: commentIds }, internal: false },
        select: {
          id: true,
          body: true,
          author: { select: { name: true } },
          _count: { select: { attachments: true } },
        },
      })
    ).map((c) => [c.id, c]),
  );
  let queued = 0;
  for (const intent of intents) {
    const user = users.get(intent.userId);
    const ticket = tickets.get(intent.ticketId)!;
    // A bouncing address (a delivery report came back) gets nothing until its owner turns mail
    // back on from the account page.
    // A service account (ADR 025) has no mailbox: its sign-in name is under .invalid.
    if (!user || !user.active || user.emailBouncingAt || user.kind === "SERVICE") continue;
    const staff = user.role !== "USER";
    const allowed = PRIORITY.filter(
      (kind) =>
        intent.kinds.has(kind) &&
        !user.emailOff.includes(kind) &&
        (staff || !NOTIFICATION_KINDS[kind].staffOnly) &&
        // Requester mail only to whoever is the requester now.
        (!REQUESTER_KINDS.has(kind) || ticket.requesterId === user.id),
    );
    const kind = allowed[0];
    if (!kind) continue;
    const comment = intent.commentId ? comments.get(intent.commentId) : undefined;
    const actor = intent.actorId ? users.get(intent.actorId) : undefined;
    const survey =
      kind === "resolved" ? await csatMailLinks(tx, config.publicUrl, ticket.id, user.id) : null;
    await queueEmail(tx, config, {
      kind,
      to: { address: user.email, userId: user.id },
      ticket: { id: ticket.id, number: ticket.number },
      subject: ticket.title,
      body: createElement(TicketMail, {
        ...wording(kind, ticket, actor?.name ?? "Someone", replyByEmail, intent.sla),
        ...(comment && {
          message: {
            author: comment.author.name,
            body: comment.body,
            files: comment._count.attachments,
          },
        }),
        ticketUrl: `${config.publicUrl}/tickets/${ticket.number}`,
        ticketLabel: `Open ticket #${ticket.number}`,
        survey,
        footer:
          `You get this email because of your notification settings. ` +
          `Choose which emails you get: ${config.publicUrl}/account/notifications`,
      }),
    });
    queued++;
  }
  return queued;
}

function wording(
  kind: NotificationKind,
  ticket: TicketInfo,
  actor: string,
  replyByEmail: boolean,
  sla: Intent["sla"] = null,
) {
  const answer = replyByEmail
    ? "Reply to this email or on the ticket page"
    : "Reply on the ticket page";
  const n = `#${ticket.number}`;
  switch (kind) {
    case "ticket_received":
      return {
        preview: `We received your ticket ${n}`,
        heading: `We received your ticket ${n}`,
        lines: [
          `“${ticket.title}”`,
          "You will get an email when the help desk replies.",
          ...(replyByEmail ? ["To add something, reply to this email."] : []),
        ],
      };
    case "reply":
      return {
        preview: `${actor} replied on ${n}`,
        heading: `New reply on ${n}`,
        lines: [`“${ticket.title}”`, ...(replyByEmail ? ["Reply to this email to answer."] : [])],
      };
    case "resolved":
      return {
        preview: `Ticket ${n} was resolved`,
        heading: `Ticket ${n} was resolved`,
        lines: [
          `“${ticket.title}” was marked resolved by ${actor}.`,
          `Not solved? ${answer} to reopen it.`,
        ],
      };
    case "assigned":
      return {
        preview: `${n} was assigned to you`,
        heading: `Ticket ${n} was assigned to you`,
        lines: [`“${ticket.title}” in ${ticket.category.name}.`],
      };
    case "assignee_reply":
      return {
        preview: `${actor} replied on ${n}`,
        heading: `New reply on ${n}, assigned to you`,
        lines: [`“${ticket.title}”`],
      };
    case "category_new":
      return {
        preview: `New ticket ${n} in ${ticket.category.name}`,
        heading: `New ticket ${n} in ${ticket.category.name}`,
        lines: [`“${ticket.title}”, opened by ${actor}.`],
      };
    case "sla_warning":
    case "sla_breached": {
      const target = slaTargetLabel(sla?.target);
      const due = sla ? `${sla.dueAt.slice(0, 16).replace("T", " ")} UTC` : "now";
      const heading =
        kind === "sla_warning"
          ? `${n} is at risk: ${target}`
          : `${n} missed its ${target.toLowerCase()} target`;
      return {
        preview: heading,
        heading,
        lines: [
          `“${ticket.title}” in ${ticket.category.name}.`,
          kind === "sla_warning" ? `${target} is due at ${due}.` : `${target} was due at ${due}.`,
        ],
      };
    }
  }
}
