import "server-only";
// What the staff ticket page shows of a ticket's service level (ADR 024).
import { db } from "@/lib/db";
import { canOnAny } from "@/lib/auth/permissions";
import type { SlaTargetName } from "@/lib/sla/clock";
import type { Viewer } from "@/lib/service-context";

export type TicketSlaTarget = {
  target: SlaTargetName;
  dueAt: Date | null;
  /** When it was met (first response, resolution), else null. */
  metAt: Date | null;
  /** The clock of this target runs now (its due time counts). */
  running: boolean;
};

export type TicketSla = {
  policyName: string | null;
  paused: boolean;
  warnAt: Date | null;
  targets: TicketSlaTarget[];
  nextResponses: { count: number; late: number };
};

/** Null for anyone who may not read every ticket: due times are the help desk's business. */
export async function ticketSla(viewer: Viewer, ticketId: string): Promise<TicketSla | null> {
  if (!canOnAny(viewer, "ticket:read")) return null;
  const t = await db.ticket.findFirst({
    where: { id: ticketId, deletedAt: null },
    select: {
      slaPolicy: { select: { name: true } },
      slaPausedAt: true,
      slaDueAt: true,
      slaWarnAt: true,
      firstResponseDueAt: true,
      firstResponseAt: true,
      nextResponseDueAt: true,
      nextResponseStartAt: true,
      resolutionDueAt: true,
      resolvedAt: true,
      nextResponseCount: true,
      nextResponseBreaches: true,
    },
  });
  if (!t) return null;
  const running = t.slaDueAt !== null;
  return {
    policyName: t.slaPolicy?.name ?? null,
    paused: t.slaPausedAt !== null,
    warnAt: t.slaWarnAt,
    targets: [
      {
        target: "FIRST_RESPONSE",
        dueAt: t.firstResponseDueAt,
        metAt: t.firstResponseAt,
        running: running && !t.firstResponseAt,
      },
      {
        target: "NEXT_RESPONSE",
        dueAt: t.nextResponseDueAt,
        metAt: null,
        running: running && t.nextResponseStartAt !== null,
      },
      {
        target: "RESOLUTION",
        dueAt: t.resolutionDueAt,
        metAt: t.slaPausedAt ? t.resolvedAt : null,
        running,
      },
    ],
    nextResponses: { count: t.nextResponseCount, late: t.nextResponseBreaches },
  };
}
