import "server-only";
// SLA escalation, a job of the one background loop (lib/security/jobs.ts; ADR 024). It visits the
// tickets whose slaCheckAt has passed and emits `sla.warning` when a target enters its "at risk"
// share and `sla.breached` when its due time passes. Each event is an SlaEvent row whose unique
// key (ticket, target, kind, cycle start) makes it happen once, across instances and restarts;
// the row, its audit event (which the notification job mails to the assignee, lib/email/notify.ts)
// and its SIEM/Slack outbox row commit together.
import { recordAudit } from "@/lib/audit";
import type { Db, Tx } from "@/lib/db";
import { securityEvent } from "@/lib/security/events";
import { SLA_COLUMNS_SELECT } from "@/lib/sla/apply";
import { pendingTargets, type SlaColumns, type SlaTargetName } from "@/lib/sla/clock";
import { policyFor, slaRules } from "@/lib/sla/rules";

const DUE_COLUMN: Record<SlaTargetName, keyof SlaColumns> = {
  FIRST_RESPONSE: "firstResponseDueAt",
  NEXT_RESPONSE: "nextResponseDueAt",
  RESOLUTION: "resolutionDueAt",
};

type Kind = "WARNING" | "BREACHED";

async function emit(
  tx: Tx,
  ticket: { id: string; number: number; assigneeId: string | null; slaPolicyId: string | null },
  target: SlaTargetName,
  kind: Kind,
  cycleStart: Date,
  dueAt: Date,
): Promise<boolean> {
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "SlaEvent" ("id", "ticketId", "target", "kind", "cycleStart", "dueAt")
    VALUES (gen_random_uuid()::text, ${ticket.id}, CAST(${target} AS "SlaTarget"),
            CAST(${kind} AS "SlaEventKind"), ${cycleStart}, ${dueAt})
    ON CONFLICT ("ticketId", "target", "kind", "cycleStart") DO NOTHING
    RETURNING "id"`;
  if (inserted.length === 0) return false;
  const action = kind === "WARNING" ? "sla.warning" : "sla.breached";
  const fields = {
    ticketId: ticket.id,
    number: ticket.number,
    target,
    dueAt: dueAt.toISOString(),
    assigneeId: ticket.assigneeId,
    policyId: ticket.slaPolicyId,
  };
  await recordAudit(tx, {
    actor: null,
    action,
    entityType: "Ticket",
    entityId: ticket.id,
    outcome: "SUCCESS",
    after: { target, dueAt: fields.dueAt },
    metadata: { number: ticket.number, assigneeId: ticket.assigneeId, eventId: inserted[0]!.id },
  });
  await securityEvent(action, fields, { tx });
  return true;
}

/** One round: up to `batch` tickets whose check time has passed. */
export async function escalateSla(
  db: Db,
  now = new Date(),
  batch = 200,
): Promise<{ tickets: number; events: number }> {
  return db.$transaction(
    async (tx) => {
      // SKIP LOCKED: another instance's round, or a user's change in flight (which sets the
      // ticket's check time again), keeps its tickets; nobody waits.
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "Ticket"
         WHERE "slaCheckAt" <= ${now} AND "deletedAt" IS NULL
         ORDER BY "slaCheckAt" LIMIT ${batch}
         FOR UPDATE SKIP LOCKED`;
      if (due.length === 0) return { tickets: 0, events: 0 };
      const rules = await slaRules(tx);
      const tickets = await tx.ticket.findMany({
        where: { id: { in: due.map((d) => d.id) } },
        select: {
          ...SLA_COLUMNS_SELECT,
          id: true,
          number: true,
          status: true,
          priority: true,
          categoryId: true,
          assigneeId: true,
          createdAt: true,
          updatedAt: true,
          firstResponseAt: true,
          awaitingReply: true,
        },
      });
      let events = 0;
      for (const ticket of tickets) {
        const { policy, calendar } = policyFor(rules, ticket);
        let next: Date | null = null;
        for (const p of pendingTargets(ticket, policy, calendar)) {
          // The due time as stored (a policy edited since applies when the ticket next changes).
          const dueAt = (ticket[DUE_COLUMN[p.target]] as Date | null) ?? p.dueAt;
          const warnAt = p.warnAt < dueAt ? p.warnAt : dueAt;
          if (now >= dueAt) {
            if (await emit(tx, ticket, p.target, "BREACHED", p.cycleStart, dueAt)) events++;
            continue;
          }
          if (now >= warnAt) {
            if (await emit(tx, ticket, p.target, "WARNING", p.cycleStart, dueAt)) events++;
          }
          const upcoming = now >= warnAt ? dueAt : warnAt;
          if (!next || upcoming < next) next = upcoming;
        }
        await tx.ticket.update({
          where: { id: ticket.id },
          data: { slaCheckAt: next, updatedAt: ticket.updatedAt },
        });
      }
      return { tickets: tickets.length, events };
    },
    { isolationLevel: "ReadCommitted", timeout: 60_000 },
  );
}
