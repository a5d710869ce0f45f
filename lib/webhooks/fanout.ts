// Webhook events from the audit stream (ADR 027): a job of the background loop reads the sealed
// audit events past its cursor (the pattern of lib/email/notify.ts), turns each ticket change into
// its event (lib/webhooks/events.ts) and adds one delivery per subscribed active webhook, in the
// transaction that moves the cursor. The cursor's row lock keeps two instances from doing the
// same events, and the unique (webhookId, auditEventId) key makes a repeated run add nothing.
//
// The payload is made here, once, and sent as stored on every attempt: the ticket as it is when
// the job runs (seconds after the change), the change itself from the audit event. Internal notes
// are never sent: "ticket.note" makes no event, and a "ticket.reply" only when it was public.
import { randomUUID } from "node:crypto";
import { lockAuditCursor, moveAuditCursor } from "@/lib/audit/cursor";
import type { Db, Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { eventOfAudit, type WebhookEvent } from "@/lib/webhooks/events";

const CURSOR = "webhooks";

type AuditRow = {
  id: bigint;
  seq: bigint;
  createdAt: Date;
  action: string;
  actorId: string | null;
  entityType: string;
  entityId: string | null;
  outcome: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
};

const TICKET_SELECT = {
  id: true,
  number: true,
  title: true,
  status: true,
  priority: true,
  createdAt: true,
  updatedAt: true,
  category: { select: { id: true, name: true } },
  assignee: { select: { id: true, name: true, email: true } },
  requester: { select: { id: true, name: true, email: true } },
} as const;

type TicketRow = Prisma.TicketGetPayload<{ select: typeof TICKET_SELECT }>;

export type WebhookPayload = {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
};

export function ticketData(ticket: TicketRow, publicUrl: string) {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    assignee: ticket.assignee,
    requester: ticket.requester,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    url: `${publicUrl}/tickets/${ticket.number}`,
  };
}

/** The help desk's address for links in payloads (AUTH_URL, as the mail uses). */
export function webhookPublicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.AUTH_URL?.trim() || `http://localhost:${env.PORT || "3000"}`;
  try {
    return new URL(raw).origin;
  } catch {
    return raw.replace(/\/+$/, "");
  }
}

export async function webhooksFromAudit(
  db: Db,
  publicUrl: string = webhookPublicUrl(),
  batchSize = 200,
): Promise<{ events: number; queued: number }> {
  return db.$transaction(
    async (tx) => {
      const lastId = await lockAuditCursor(tx, CURSOR);
      const rows = await tx.$queryRaw<AuditRow[]>`
        SELECT "id", "seq", "createdAt", "action", "actorId", "entityType", "entityId",
               "outcome"::text AS "outcome", "before", "after", "metadata"
          FROM "AuditEvent" WHERE "seq" > ${lastId} ORDER BY "seq" LIMIT ${batchSize}`;
      if (rows.length === 0) return { events: 0, queued: 0 };
      const queued = await queueDeliveries(tx, rows, publicUrl);
      await moveAuditCursor(tx, CURSOR, rows.at(-1)!.seq);
      return { events: rows.length, queued };
    },
    { isolationLevel: "ReadCommitted", timeout: 60_000 },
  );
}

async function queueDeliveries(tx: Tx, rows: AuditRow[], publicUrl: string): Promise<number> {
  const events = rows.flatMap((row) => {
    const type = row.entityType === "Ticket" && row.entityId ? eventOfAudit(row) : null;
    return type ? [{ row, type }] : [];
  });
  if (events.length === 0) return 0;
  const hooks = await tx.webhook.findMany({
    where: { active: true, events: { hasSome: [...new Set(events.map((e) => e.type))] } },
    select: { id: true, events: true },
  });
  if (hooks.length === 0) return 0;

  const tickets = new Map(
    (
      await tx.ticket.findMany({
        where: { id: { in: [...new Set(events.map((e) => e.row.entityId!))] }, deletedAt: null },
        select: TICKET_SELECT,
      })
    ).map((t) => [t.id, t]),
  );
  const commentIds = events.flatMap(({ row }) =>
    row.action === "ticket.reply" && typeof row.metadata?.commentId === "string"
      ? [row.metadata.commentId]
      : [],
  );
  const comments = new Map(
    (
      await tx.ticketComment.findMany({
        where: { id: { in: commentIds }, internal: false },
        select: {
          id: true,
          body: true,
          createdAt: true,
          author: { select: { id: true, name: true } },
        },
      })
    ).map((c) => [c.id, c]),
  );
  const actors = new Map(
    (
      await tx.user.findMany({
        where: { id: { in: events.flatMap(({ row }) => (row.actorId ? [row.actorId] : [])) } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u]),
  );

  const data: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const { row, type } of events) {
    const ticket = tickets.get(row.entityId!);
    if (!ticket) continue; // deleted since
    const extra = eventData(row, type, comments);
    if (extra === null) continue;
    for (const hook of hooks) {
      if (!hook.events.includes(type)) continue;
      const id = randomUUID();
      const payload: WebhookPayload = {
        id,
        type,
        createdAt: row.createdAt.toISOString(),
        data: {
          ticket: ticketData(ticket, publicUrl),
          actor: row.actorId ? (actors.get(row.actorId) ?? { id: row.actorId, name: null }) : null,
          ...extra,
        },
      };
      data.push({
        id,
        webhookId: hook.id,
        eventType: type,
        auditEventId: row.id,
        payload: payload as unknown as Prisma.InputJsonValue,
      });
    }
  }
  if (data.length === 0) return 0;
  const { count } = await tx.webhookDelivery.createMany({ data, skipDuplicates: true });
  return count;
}

/** What an event adds beside the ticket; null when it must not be sent after all. */
function eventData(
  row: AuditRow,
  type: WebhookEvent,
  comments: Map<string, { id: string; body: string; createdAt: Date; author: unknown }>,
): Record<string, unknown> | null {
  switch (type) {
    case "ticket.created":
      return {};
    case "ticket.replied": {
      const id = row.metadata?.commentId;
      const comment = typeof id === "string" ? comments.get(id) : undefined;
      if (!comment) return null; // not public (or gone): never sent
      return {
        reply: {
          id: comment.id,
          body: comment.body,
          author: comment.author,
          createdAt: comment.createdAt.toISOString(),
        },
      };
    }
    case "sla.warning":
    case "sla.breached":
      return { sla: { target: row.after?.target ?? null, dueAt: row.after?.dueAt ?? null } };
    default:
      return { changes: { action: row.action, before: row.before, after: row.after } };
  }
}
