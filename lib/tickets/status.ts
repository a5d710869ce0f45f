// The ticket status machine (docs/ARCHITECTURE.md, ADR 006): NEW -> OPEN -> IN_PROGRESS <->
// ON_HOLD -> RESOLVED -> CLOSED, and a requester may reopen (or accept and close) a RESOLVED
// ticket. Pure data and functions: the service enforces it, the UI uses it to offer only legal
// moves.
import { scopeOf, type Permission, type Role } from "@/lib/auth/permissions";

export const TICKET_STATUSES = [
  "NEW",
  "OPEN",
  "IN_PROGRESS",
  "ON_HOLD",
  "RESOLVED",
  "CLOSED",
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ["LOW", "MEDIUM", "HIGH", "URGENT"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Statuses that still need work: the staff queues and "open first" use this list. */
export const OPEN_STATUSES = [
  "NEW",
  "OPEN",
  "IN_PROGRESS",
  "ON_HOLD",
] as const satisfies readonly TicketStatus[];

export const STATUS_LABELS: Record<TicketStatus, string> = {
  NEW: "New",
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  ON_HOLD: "Waiting for requester",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

/** Who reads a status: the help desk, or the person who asked for help. */
export type StatusAudience = "staff" | "requester";

/**
 * The same statuses as the requester reads them (issue 11 §5: labels speak to the reader): a
 * ticket waiting on the requester says so to them ("Waiting for you").
 */
export const REQUESTER_STATUS_LABELS: Record<TicketStatus, string> = {
  ...STATUS_LABELS,
  ON_HOLD: "Waiting for you",
};

export function statusLabel(status: TicketStatus, audience: StatusAudience = "staff"): string {
  return (audience === "requester" ? REQUESTER_STATUS_LABELS : STATUS_LABELS)[status];
}

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  LOW: "Low",
  MEDIUM: "Medium",
  HIGH: "High",
  URGENT: "Urgent",
};

/**
 * Every legal move, for staff. NEW -> CLOSED lets staff close spam and duplicates without
 * pretending to work on them; NEW/OPEN -> RESOLVED answers a quick question in one step (with a
 * reply: see transitionBlocker); IN_PROGRESS/ON_HOLD -> OPEN hands a ticket back to the queue;
 * RESOLVED -> OPEN is a reopen. CLOSED is final: a new problem gets a new ticket.
 */
export const STAFF_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  NEW: ["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"],
  OPEN: ["IN_PROGRESS", "ON_HOLD", "RESOLVED", "CLOSED"],
  IN_PROGRESS: ["OPEN", "ON_HOLD", "RESOLVED"],
  ON_HOLD: ["OPEN", "IN_PROGRESS", "RESOLVED"],
  RESOLVED: ["OPEN", "CLOSED"],
  CLOSED: [],
};

/** What a requester may do to their own ticket: accept the resolution, or reopen it. */
export const REQUESTER_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  NEW: [],
  OPEN: [],
  IN_PROGRESS: [],
  ON_HOLD: [],
  RESOLVED: ["OPEN", "CLOSED"],
  CLOSED: [],
};

export type TransitionActor = { role: Role; isRequester: boolean };

/** Is `from -> to` an edge of the machine at all (for anyone)? */
export function isLegalTransition(from: TicketStatus, to: TicketStatus): boolean {
  return STAFF_TRANSITIONS[from].includes(to);
}

/** May the actor use `permission` on this ticket ("all", or "own" as its requester)? */
function mayOnTicket(actor: TransitionActor, permission: Permission): boolean {
  const scope = scopeOf(actor.role, permission);
  return scope === "all" || (scope === "own" && actor.isRequester);
}

/**
 * The moves this actor may make from `from`: every legal move with "ticket:triage", the
 * requester's moves with "ticket:close-reopen", none otherwise.
 */
export function allowedTransitions(actor: TransitionActor, from: TicketStatus): TicketStatus[] {
  if (mayOnTicket(actor, "ticket:triage")) return [...STAFF_TRANSITIONS[from]];
  if (mayOnTicket(actor, "ticket:close-reopen")) return [...REQUESTER_TRANSITIONS[from]];
  return [];
}

/**
 * "illegal": not an edge of the machine (a validation error for anyone);
 * "forbidden": a legal edge this actor may not take (refused and audited).
 */
export function checkTransition(
  actor: TransitionActor,
  from: TicketStatus,
  to: TicketStatus,
): "ok" | "illegal" | "forbidden" {
  if (!isLegalTransition(from, to)) return "illegal";
  return allowedTransitions(actor, from).includes(to) ? "ok" : "forbidden";
}

/** What a move may need beside being an edge: the ticket as it will be after the same submit. */
export type TransitionContext = {
  /** It has (or gets, in the same submit) an assignee. */
  assigned: boolean;
  /** The same submit carries a public reply to the requester. */
  replying: boolean;
};

/**
 * Why a legal, allowed staff move cannot be made right now, or null. "In progress" means somebody
 * works on it: it needs an assignee. Resolving a NEW ticket (never answered: a staff reply opens
 * it) needs a public reply saying what was done. A requester's close/reopen needs neither.
 */
export function transitionBlocker(
  from: TicketStatus,
  to: TicketStatus,
  context: TransitionContext,
): string | null {
  if (from === to) return null;
  if (to === "IN_PROGRESS" && !context.assigned) return "In progress needs an assignee.";
  if (from === "NEW" && to === "RESOLVED" && !context.replying) {
    return "Resolving a new ticket needs a public reply to the requester.";
  }
  return null;
}

/**
 * The moves offered for a selection (bulk actions): those allowed from every selected status.
 * A move may still be blocked for some tickets (transitionBlocker); those are skipped and named.
 */
export function commonTransitions(
  actor: TransitionActor,
  statuses: readonly TicketStatus[],
): TicketStatus[] {
  if (statuses.length === 0) return [];
  const [first, ...rest] = statuses;
  return allowedTransitions(actor, first!).filter((to) =>
    rest.every((from) => allowedTransitions(actor, from).includes(to)),
  );
}

export const isOpenStatus = (status: TicketStatus) =>
  (OPEN_STATUSES as readonly TicketStatus[]).includes(status);

/** Timestamps a move sets or clears; applied by the service in the same UPDATE. */
export function statusTimestamps(
  from: TicketStatus,
  to: TicketStatus,
  now: Date,
  current: { resolvedAt: Date | null },
): { resolvedAt?: Date | null; closedAt?: Date | null } {
  if (to === "RESOLVED") return { resolvedAt: now, closedAt: null };
  // Closing without a resolution (spam, duplicate) still ends the work: it then sorts into
  // "recently resolved" by the time it was closed.
  if (to === "CLOSED") return { closedAt: now, resolvedAt: current.resolvedAt ?? now };
  if (from === "RESOLVED" || from === "CLOSED") return { resolvedAt: null, closedAt: null };
  return {};
}

export const formatTicketNumber = (number: number) => `#${number}`;
