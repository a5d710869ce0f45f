// The SLA clock of one ticket as a pure function (ADR 024): from the ticket's state, its policy
// and calendar, and the columns as they were, the columns as they must be now. lib/sla/apply.ts
// calls it in the transaction of every ticket change; the escalation job (lib/sla/escalate.ts)
// asks it which targets are pending. Client-safe (no database).
import {
  addBusinessMinutes,
  businessMinutesBetween,
  type BusinessCalendarSpec,
} from "@/lib/sla/business-time";
import type { TicketStatus } from "@/lib/tickets/status";

export const SLA_TARGETS = ["FIRST_RESPONSE", "NEXT_RESPONSE", "RESOLUTION"] as const;
export type SlaTargetName = (typeof SLA_TARGETS)[number];

export const SLA_TARGET_LABELS: Record<SlaTargetName, string> = {
  FIRST_RESPONSE: "First response",
  NEXT_RESPONSE: "Next response",
  RESOLUTION: "Resolution",
};

/** Running: the help desk owes work. Paused: waiting on the requester. Stopped: done. */
export type ClockState = "running" | "paused" | "stopped";
export function clockStateOf(status: TicketStatus): ClockState {
  if (status === "ON_HOLD") return "paused";
  if (status === "RESOLVED" || status === "CLOSED") return "stopped";
  return "running";
}

export type SlaPolicyTargets = {
  id: string;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  atRiskPercent: number;
};

/** The ticket columns this module owns. */
export type SlaColumns = {
  slaPolicyId: string | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaDueAt: Date | null;
  slaWarnAt: Date | null;
  slaCheckAt: Date | null;
  slaPausedAt: Date | null;
  slaPausedMinutes: number;
  nextResponseStartAt: Date | null;
  nextResponsePauseBase: number;
  nextResponseCount: number;
  nextResponseBreaches: number;
};

export type SlaTicket = SlaColumns & {
  status: TicketStatus;
  createdAt: Date;
  firstResponseAt: Date | null;
  /** The last public message is the requester's (or there is none yet). */
  awaitingReply: boolean;
};

/** A ticket before its first SLA computation (no policy, no due times, nothing paused). */
export const NO_SLA_COLUMNS: SlaColumns = {
  slaPolicyId: null,
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  slaDueAt: null,
  slaWarnAt: null,
  slaCheckAt: null,
  slaPausedAt: null,
  slaPausedMinutes: 0,
  nextResponseStartAt: null,
  nextResponsePauseBase: 0,
  nextResponseCount: 0,
  nextResponseBreaches: 0,
};

/** One target whose clock runs: when it started, when it is at risk and when it is due. */
export type PendingTarget = {
  target: SlaTargetName;
  cycleStart: Date;
  warnAt: Date;
  dueAt: Date;
};

function minDate(dates: (Date | null)[]): Date | null {
  let min: Date | null = null;
  for (const d of dates) if (d && (!min || d < min)) min = d;
  return min;
}

/**
 * The targets of a running clock (empty while paused or stopped): first response until the
 * first staff reply, next response while a requester message waits, resolution until resolved.
 */
export function pendingTargets(
  t: SlaTicket,
  policy: SlaPolicyTargets | null,
  cal: BusinessCalendarSpec,
): PendingTarget[] {
  if (!policy || clockStateOf(t.status) !== "running") return [];
  const out: PendingTarget[] = [];
  const add = (target: SlaTargetName, minutes: number | null, start: Date, paused: number) => {
    if (minutes === null) return;
    const warnMinutes = Math.floor((minutes * (100 - policy.atRiskPercent)) / 100);
    out.push({
      target,
      cycleStart: start,
      warnAt: addBusinessMinutes(cal, start, warnMinutes + paused),
      dueAt: addBusinessMinutes(cal, start, minutes + paused),
    });
  };
  if (!t.firstResponseAt) {
    add("FIRST_RESPONSE", policy.firstResponseMinutes, t.createdAt, t.slaPausedMinutes);
  }
  if (t.nextResponseStartAt) {
    add(
      "NEXT_RESPONSE",
      policy.nextResponseMinutes,
      t.nextResponseStartAt,
      t.slaPausedMinutes - t.nextResponsePauseBase,
    );
  }
  add("RESOLUTION", policy.resolutionMinutes, t.createdAt, t.slaPausedMinutes);
  return out;
}

/**
 * The columns after a change at `now`. Pauses: entering ON_HOLD, RESOLVED or CLOSED stops the
 * clock (slaPausedAt); leaving them adds the business minutes it stood still. Next response: a
 * requester message after the first response starts a cycle; the staff reply that answers it
 * ends it (counted, and counted late when past its due time). While the clock runs, the due time
 * of every unmet target is computed again from its start (so a new policy or calendar applies);
 * while it does not, the due times stay as they were (met targets keep theirs for the reports).
 */
export function nextSlaColumns(
  t: SlaTicket,
  policy: SlaPolicyTargets | null,
  cal: BusinessCalendarSpec,
  now: Date,
): SlaColumns {
  const clock = clockStateOf(t.status);
  const next: SlaColumns = {
    slaPolicyId: policy?.id ?? null,
    firstResponseDueAt: t.firstResponseDueAt,
    nextResponseDueAt: t.nextResponseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    slaDueAt: null,
    slaWarnAt: null,
    slaCheckAt: null,
    slaPausedAt: t.slaPausedAt,
    slaPausedMinutes: t.slaPausedMinutes,
    nextResponseStartAt: t.nextResponseStartAt,
    nextResponsePauseBase: t.nextResponsePauseBase,
    nextResponseCount: t.nextResponseCount,
    nextResponseBreaches: t.nextResponseBreaches,
  };

  if (clock === "running" && next.slaPausedAt) {
    next.slaPausedMinutes += Math.round(businessMinutesBetween(cal, next.slaPausedAt, now));
    next.slaPausedAt = null;
  } else if (clock !== "running" && !next.slaPausedAt) {
    next.slaPausedAt = now;
  }

  if (next.nextResponseStartAt && !t.awaitingReply) {
    // Answered: one next response given, late if its due time had passed.
    next.nextResponseCount += 1;
    if (next.nextResponseDueAt && now > next.nextResponseDueAt) next.nextResponseBreaches += 1;
    next.nextResponseStartAt = null;
    next.nextResponseDueAt = null;
  } else if (!next.nextResponseStartAt && t.awaitingReply && t.firstResponseAt) {
    next.nextResponseStartAt = now;
    next.nextResponsePauseBase = next.slaPausedMinutes;
  }

  if (clock !== "running") return next;

  const pending = pendingTargets({ ...t, ...next }, policy, cal);
  const due = (target: SlaTargetName) => pending.find((p) => p.target === target)?.dueAt ?? null;
  if (!t.firstResponseAt) next.firstResponseDueAt = due("FIRST_RESPONSE");
  next.nextResponseDueAt = next.nextResponseStartAt ? due("NEXT_RESPONSE") : null;
  next.resolutionDueAt = due("RESOLUTION");
  next.slaDueAt = minDate(pending.map((p) => p.dueAt));
  next.slaWarnAt = minDate(pending.map((p) => p.warnAt));
  // The job looks again at the first moment of any pending target (a past one too: its event
  // may not have been emitted yet; emitting is idempotent).
  next.slaCheckAt = next.slaWarnAt;
  return next;
}

/** The badge a due time gets at `now`. */
export type DueState = "on-track" | "at-risk" | "breached";
export function dueState(dueAt: Date, warnAt: Date | null, now: number): DueState {
  if (now > dueAt.getTime()) return "breached";
  if (warnAt && now >= warnAt.getTime()) return "at-risk";
  return "on-track";
}
