import "server-only";
// Reads for the Service levels admin pages. Only "sla:manage" holders (refused otherwise).
import { assertCan } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/service-context";
import { CalendarWindowsSchema } from "@/lib/sla/schemas";

/** Every calendar with how many holidays it has and which policies use it. */
export async function listCalendarsForAdmin(viewer: Viewer) {
  assertCan(viewer, "sla:manage");
  const rows = await db.businessCalendar.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      timeZone: true,
      alwaysOpen: true,
      windows: true,
      _count: { select: { holidays: true, policies: true } },
    },
  });
  return rows.map(({ _count, windows, ...row }) => ({
    ...row,
    windows: CalendarWindowsSchema.parse(windows),
    holidayCount: _count.holidays,
    policyCount: _count.policies,
  }));
}

/** One calendar with its holidays (oldest first); null when there is no such calendar. */
export async function getCalendarForAdmin(viewer: Viewer, calendarId: string) {
  assertCan(viewer, "sla:manage");
  const row = await db.businessCalendar.findUnique({
    where: { id: calendarId },
    select: {
      id: true,
      name: true,
      timeZone: true,
      alwaysOpen: true,
      windows: true,
      holidays: { orderBy: { date: "asc" }, select: { id: true, date: true, name: true } },
      _count: { select: { policies: true } },
    },
  });
  if (!row) return null;
  const { _count, windows, holidays, ...rest } = row;
  return {
    ...rest,
    windows: CalendarWindowsSchema.parse(windows),
    holidays: holidays.map((h) => ({ ...h, date: h.date.toISOString().slice(0, 10) })),
    policyCount: _count.policies,
  };
}

/** Every policy in the order they are tried (the default last), with its calendar's name. */
export async function listPoliciesForAdmin(viewer: Viewer) {
  assertCan(viewer, "sla:manage");
  return db.slaPolicy.findMany({
    orderBy: [{ isDefault: "asc" }, { position: "asc" }, { name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      isDefault: true,
      active: true,
      priorities: true,
      categoryIds: true,
      calendarId: true,
      firstResponseMinutes: true,
      nextResponseMinutes: true,
      resolutionMinutes: true,
      atRiskPercent: true,
      calendar: { select: { name: true } },
    },
  });
}
