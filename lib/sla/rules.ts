import "server-only";
// The active SLA policies and their calendars, read in the caller's transaction and kept for
// 5 seconds per process (like instance settings, ADR 022): every ticket write asks "which policy
// applies", and policies change rarely. An admin's save clears this process's copy at once.
import { db, type Tx } from "@/lib/db";
import type { BusinessCalendarSpec } from "@/lib/sla/business-time";
import type { SlaPolicyTargets } from "@/lib/sla/clock";
import { logger } from "@/lib/logger";
import { CalendarWindowsSchema } from "@/lib/sla/schemas";
import type { TicketPriority } from "@/lib/tickets/status";

export type SlaPolicyRule = SlaPolicyTargets & {
  name: string;
  isDefault: boolean;
  priorities: TicketPriority[];
  categoryIds: string[];
  calendarId: string;
};

export type SlaRules = {
  /** Active policies in the order they are tried: by position, the default one last. */
  policies: SlaPolicyRule[];
  calendars: Map<string, BusinessCalendarSpec>;
};

export const ALWAYS_OPEN: BusinessCalendarSpec = {
  timeZone: "UTC",
  alwaysOpen: true,
  windows: [],
  holidays: [],
};

const TTL_MS = 5_000;
let cached: { at: number; rules: SlaRules } | null = null;

export function clearSlaRules(): void {
  cached = null;
}

/** An admin's change to policies or calendars (lib/sla/policies.ts, calendars.ts): committed,
 * then this process's copy cleared (other instances see it within TTL_MS). */
export async function writeSlaRules<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db.$transaction(fn);
  clearSlaRules();
  return result;
}

export async function slaRules(tx: Tx): Promise<SlaRules> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.rules;
  const rules = await loadSlaRules(tx);
  cached = { at: Date.now(), rules };
  return rules;
}

export async function loadSlaRules(tx: Tx): Promise<SlaRules> {
  const [policies, calendars] = await Promise.all([
    tx.slaPolicy.findMany({
      where: { active: true },
      orderBy: [{ isDefault: "asc" }, { position: "asc" }, { name: "asc" }],
    }),
    tx.businessCalendar.findMany({
      include: { holidays: { select: { date: true }, orderBy: { date: "asc" } } },
    }),
  ]);
  return {
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      isDefault: p.isDefault,
      priorities: p.priorities,
      categoryIds: p.categoryIds,
      calendarId: p.calendarId,
      firstResponseMinutes: p.firstResponseMinutes,
      nextResponseMinutes: p.nextResponseMinutes,
      resolutionMinutes: p.resolutionMinutes,
      atRiskPercent: p.atRiskPercent,
    })),
    calendars: new Map(
      calendars.map((c) => {
        const windows = CalendarWindowsSchema.safeParse(c.windows);
        if (!windows.success) logger.error({ calendarId: c.id }, "calendar windows do not parse");
        const spec: BusinessCalendarSpec = {
          timeZone: c.timeZone,
          // A calendar without open time would never reach a due time: treated as 24/7 (logged).
          alwaysOpen: c.alwaysOpen || !windows.success || windows.data.length === 0,
          windows: windows.success ? windows.data : [],
          holidays: c.holidays.map((h) => h.date.toISOString().slice(0, 10)),
        };
        return [c.id, spec];
      }),
    ),
  };
}

/** The first policy whose condition matches (empty list = any), and its calendar. */
export function policyFor(
  rules: SlaRules,
  ticket: { priority: TicketPriority; categoryId: string },
): { policy: SlaPolicyRule | null; calendar: BusinessCalendarSpec } {
  const policy =
    rules.policies.find(
      (p) =>
        p.isDefault ||
        ((p.priorities.length === 0 || p.priorities.includes(ticket.priority)) &&
          (p.categoryIds.length === 0 || p.categoryIds.includes(ticket.categoryId))),
    ) ?? null;
  const calendar = (policy && rules.calendars.get(policy.calendarId)) ?? ALWAYS_OPEN;
  return { policy, calendar };
}
