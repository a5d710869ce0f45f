// Writes the demo tickets of prisma/demo-tickets.ts: each ticket in its final state with its
// back-dated timestamps, its replies and notes, and one audit event per step, in time order,
// with the same actions and before/after the services record (ticket.create, ticket.take,
// ticket.assign, ticket.reply, ticket.note, ticket.status, ticket.close).
//
// The audit events themselves are NOT back-dated: the chain's createdAt is always database time
// (docs/decisions/004-audit-hash-chain.md), so they say truthfully that the seed wrote them now;
// metadata.occurredAt carries the simulated time and metadata.via = "seed" marks them.
// Script-safe (no "server-only"): runs under tsx from scripts/start.ts.
import type { Tx } from "@/lib/db";
import { recordAuditBatch, type AuditActor } from "@/lib/audit";
import type { BusinessCalendarSpec, CalendarWindow } from "@/lib/sla/business-time";
import {
  NO_SLA_COLUMNS,
  nextSlaColumns,
  type SlaColumns,
  type SlaPolicyTargets,
} from "@/lib/sla/clock";
import { statusTimestamps, type TicketStatus } from "@/lib/tickets/status";
import { planDemoTickets, type DemoTicket } from "@/prisma/demo-tickets";

type State = {
  status: TicketStatus;
  assigneeId: string | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  version: number;
  updatedAt: Date;
};

/** The default SLA policy and its calendar: the demo's due times, replayed with the events. */
type DemoSla = { policy: SlaPolicyTargets; calendar: BusinessCalendarSpec } | null;

async function demoSla(tx: Tx): Promise<DemoSla> {
  const policy = await tx.slaPolicy.findFirst({
    where: { isDefault: true, active: true },
    include: { calendar: { include: { holidays: { select: { date: true } } } } },
  });
  if (!policy) return null;
  const { calendar } = policy;
  return {
    policy,
    calendar: {
      timeZone: calendar.timeZone,
      alwaysOpen: calendar.alwaysOpen,
      windows: calendar.windows as CalendarWindow[],
      holidays: calendar.holidays.map((h) => h.date.toISOString().slice(0, 10)),
    },
  };
}

type PendingAudit = {
  at: Date;
  actor: AuditActor;
  action: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Index into the comments of this ticket, when the event wrote one. */
  comment?: number;
};

type PendingComment = { authorId: string; body: string; internal: boolean; createdAt: Date };

/** Replays a ticket's events on its state, as the services would, collecting comments and audit. */
function replay(
  plan: DemoTicket,
  people: Map<string, AuditActor>,
  categoryId: string,
  sla: DemoSla,
): { state: State & SlaColumns; comments: PendingComment[]; audits: PendingAudit[] } {
  const person = (email: string) => {
    const found = people.get(email);
    if (!found) throw new Error(`demo seed: no account ${email}`);
    return found;
  };
  const requester = person(plan.requester);
  const state: State = {
    status: "NEW",
    assigneeId: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    version: 1,
    updatedAt: plan.createdAt,
  };
  const comments: PendingComment[] = [];
  const audits: PendingAudit[] = [];
  // What lib/sla/apply.ts would have written after each step (the last public message decides
  // whether a reply is owed, as the awaitingReply trigger does).
  let columns: SlaColumns = NO_SLA_COLUMNS;
  let awaitingReply = true;

  for (const event of plan.events) {
    const actor = person(event.by);
    const base = { at: event.at, actor };
    switch (event.kind) {
      case "create":
        audits.push({
          ...base,
          action: "ticket.create",
          after: {
            title: plan.title,
            description: plan.description,
            categoryId,
            priority: plan.priority,
            status: "NEW",
            requesterId: requester.id,
          },
        });
        break;
      case "assign": {
        const to = person(event.to).id;
        const before: Record<string, unknown> = { assigneeId: state.assigneeId };
        const after: Record<string, unknown> = { assigneeId: to };
        if (state.status === "NEW") {
          before.status = "NEW";
          after.status = state.status = "OPEN";
        }
        state.assigneeId = to;
        state.version += 1;
        state.updatedAt = event.at;
        audits.push({
          ...base,
          action: event.by === event.to ? "ticket.take" : "ticket.assign",
          before,
          after,
        });
        break;
      }
      case "reply": {
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        let next: TicketStatus | null = null;
        if (event.staff && state.status === "NEW") next = "OPEN";
        if (!event.staff && state.status === "ON_HOLD") next = "OPEN";
        if (next) {
          before.status = state.status;
          after.status = state.status = next;
          state.version += 1;
        }
        if (event.staff && !state.firstResponseAt) {
          before.firstResponseAt = null;
          after.firstResponseAt = state.firstResponseAt = event.at;
        }
        state.updatedAt = event.at;
        awaitingReply = !event.staff;
        comments.push({
          authorId: actor.id,
          body: event.body,
          internal: false,
          createdAt: event.at,
        });
        audits.push({
          ...base,
          action: "ticket.reply",
          before,
          after,
          metadata: { internal: false, length: event.body.length },
          comment: comments.length - 1,
        });
        break;
      }
      case "note":
        // Notes touch nothing a requester can see (not updatedAt, not the version).
        comments.push({
          authorId: actor.id,
          body: event.body,
          internal: true,
          createdAt: event.at,
        });
        audits.push({
          ...base,
          action: "ticket.note",
          metadata: { internal: true, length: event.body.length },
          comment: comments.length - 1,
        });
        break;
      case "status": {
        const changes = {
          status: event.to,
          ...statusTimestamps(state.status, event.to, event.at, state),
        };
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(changes) as [keyof State, unknown][]) {
          const prev = state[key];
          const same =
            value instanceof Date && prev instanceof Date
              ? value.getTime() === prev.getTime()
              : value === prev;
          if (same) continue;
          before[key] = prev;
          after[key] = value;
        }
        Object.assign(state, changes);
        state.version += 1;
        state.updatedAt = event.at;
        const byRequester = event.by === plan.requester;
        audits.push({
          ...base,
          action: byRequester
            ? event.to === "CLOSED"
              ? "ticket.close"
              : "ticket.reopen"
            : "ticket.status",
          before,
          after,
        });
        break;
      }
    }
    if (sla) {
      columns = nextSlaColumns(
        { ...state, ...columns, createdAt: plan.createdAt, awaitingReply },
        sla.policy,
        sla.calendar,
        event.at,
      );
    }
  }
  if (state.status !== plan.status) {
    throw new Error(`demo seed: "${plan.title}" ends ${state.status}, planned ${plan.status}`);
  }
  // The demo's past is past: no escalation events are emitted for it when the app starts.
  return { state: { ...state, ...columns, slaCheckAt: null }, comments, audits };
}

/**
 * Adds the demo tickets when the help desk has none at all (not even deleted ones), so it never
 * mixes invented tickets into a desk in use and never adds them twice. Returns how many it wrote.
 * Call inside the seed's READ COMMITTED transaction, after the demo accounts and categories.
 */
export async function seedDemoTickets(tx: Tx, now: Date): Promise<number> {
  if ((await tx.ticket.count()) > 0) return 0;
  const plans = planDemoTickets(now);
  const emails = [...new Set(plans.flatMap((p) => p.events.map((e) => e.by)))];
  const users = await tx.user.findMany({
    where: { email: { in: emails } },
    select: { id: true, email: true, role: true },
  });
  const people = new Map(users.map((u) => [u.email, u]));
  const categories = new Map(
    (await tx.category.findMany({ select: { id: true, name: true } })).map((c) => [c.name, c.id]),
  );

  const sla = await demoSla(tx);
  const replayed = plans.map((plan) => {
    const categoryId = categories.get(plan.category);
    if (!categoryId) throw new Error(`demo seed: no category ${plan.category}`);
    return { plan, categoryId, ...replay(plan, people, categoryId, sla) };
  });
  // One INSERT, oldest first: the number sequence is drawn in row order, so numbers follow dates.
  const tickets = await tx.ticket.createManyAndReturn({
    data: replayed.map(({ plan, categoryId, state }) => ({
      title: plan.title,
      description: plan.description,
      priority: plan.priority,
      categoryId,
      requesterId: people.get(plan.requester)!.id,
      createdAt: plan.createdAt,
      ...state,
    })),
    select: { id: true, number: true, title: true },
  });
  const byTitle = new Map(tickets.map((t) => [t.title, t]));
  const ticketOf = (plan: DemoTicket) => byTitle.get(plan.title)!;
  const comments = await tx.ticketComment.createManyAndReturn({
    data: replayed.flatMap(({ plan, comments }) =>
      comments.map((c) => ({ ...c, ticketId: ticketOf(plan).id })),
    ),
    select: { id: true, ticketId: true, createdAt: true, authorId: true, internal: true },
  });
  // RETURNING order is not promised: match each comment by what makes it unique.
  const key = (c: { ticketId: string; createdAt: Date; authorId: string; internal: boolean }) =>
    `${c.ticketId}|${c.createdAt.getTime()}|${c.authorId}|${c.internal}`;
  const commentIds = new Map(comments.map((c) => [key(c), c.id]));

  const audits = replayed.flatMap(({ plan, comments, audits }) => {
    const ticket = ticketOf(plan);
    return audits.map((audit) => {
      const comment = audit.comment === undefined ? undefined : comments[audit.comment]!;
      return {
        ...audit,
        ticket: ticket.number,
        entityId: ticket.id,
        after:
          audit.action === "ticket.create"
            ? { number: ticket.number, ...audit.after }
            : audit.after,
        metadata: comment
          ? {
              commentId: commentIds.get(key({ ...comment, ticketId: ticket.id })),
              ...audit.metadata,
            }
          : audit.metadata,
      };
    });
  });
  // The trail reads as the month's history: events in the order they happened, in one batch.
  audits.sort((a, b) => a.at.getTime() - b.at.getTime() || a.ticket - b.ticket);
  await recordAuditBatch(
    tx,
    audits.map((audit) => ({
      actor: audit.actor,
      action: audit.action,
      entityType: "Ticket",
      entityId: audit.entityId,
      outcome: "SUCCESS" as const,
      before: audit.before,
      after: audit.after,
      metadata: {
        number: audit.ticket,
        ...audit.metadata,
        via: "seed",
        occurredAt: audit.at.toISOString(),
      },
    })),
  );
  return plans.length;
}
