// SLA badges as text (ADR 024), client-safe: "Due in 2 h", "At risk: due in 40 min", "Breached
// by 35 min", with the exact due time in the viewer's zone for the <time> title. The server
// writes them (lib/dates.ts contexts) so server HTML and hydration agree.
import { formatExact, isoDate, type DateContext } from "@/lib/dates";
import { clockStateOf, dueState, type DueState } from "@/lib/sla/clock";
import type { TicketStatus } from "@/lib/tickets/status";

export type SlaBadgeState = DueState | "paused";
export type SlaBadgeData = {
  state: SlaBadgeState;
  text: string;
  iso: string | null;
  title: string;
};

const MINUTE = 60_000;

/** "35 min", "2 h", "2 h 5 min", "3 d 4 h": at most two units, rounded down. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** The badge of one due time at ctx.now. */
export function dueBadge(dueAt: Date, warnAt: Date | null, ctx: DateContext): SlaBadgeData {
  const state = dueState(dueAt, warnAt, ctx.now);
  const left = dueAt.getTime() - ctx.now;
  const text =
    state === "breached"
      ? `Breached by ${formatDuration(-left)}`
      : state === "at-risk"
        ? `At risk: due in ${formatDuration(left)}`
        : `Due in ${formatDuration(left)}`;
  return { state, text, iso: isoDate(dueAt), title: `Due ${formatExact(dueAt, ctx)}` };
}

/** A ticket's badge: its earliest due target, "SLA paused" while waiting on the requester. */
export function ticketSlaBadge(
  ticket: {
    status: TicketStatus;
    slaDueAt: Date | null;
    slaWarnAt: Date | null;
    slaPausedAt: Date | null;
  },
  ctx: DateContext,
): SlaBadgeData | null {
  if (ticket.slaDueAt) return dueBadge(ticket.slaDueAt, ticket.slaWarnAt, ctx);
  if (clockStateOf(ticket.status) === "paused" && ticket.slaPausedAt) {
    return {
      state: "paused",
      text: "SLA paused",
      iso: null,
      title: `Waiting for the requester since ${formatExact(ticket.slaPausedAt, ctx)}`,
    };
  }
  return null;
}
