// The reports (lib/reports/queries.ts) on a small hand-made dataset in a scratch database of
// this file's own, so every number is exact. The expectations are computed by hand in the
// comments next to the rows; the range is 10-12 January 2026 in Europe/Berlin (UTC+1), "now" is
// 20 January 2026 12:00 UTC.
import { beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import { getReport, getReports, periodsOf, type ReportViewer } from "@/lib/reports/queries";
import { parseReportFilters, type ReportFilters } from "@/lib/reports/schemas";
import { makeCategory, makeUser } from "@/tests/support/factories";
import { onEmbeddedServer, scratchDatabaseForFile } from "@/tests/support/scratch-db";

const scratch = scratchDatabaseForFile();
const it_ = onEmbeddedServer ? it.skip : it;

const NOW = Date.parse("2026-01-20T12:00:00Z");
const BERLIN = "Europe/Berlin";
const RANGE: ReportFilters = { from: "2026-01-10", to: "2026-01-12", group: "day" };
const at = (iso: string) => new Date(iso);
const hours = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);

let admin: ReportViewer;
let tech1: ReportViewer & { name: string };
let tech2: ReportViewer & { name: string };
let requester: ReportViewer;
let catA: { id: string; name: string };
let catB: { id: string; name: string };
const tickets: Record<string, string> = {};

beforeAll(async () => {
  if (onEmbeddedServer) return;
  const db = scratch.db;
  admin = await makeUser(db, { role: "ADMIN", mfa: false });
  tech1 = await makeUser(db, { role: "TECHNICIAN", mfa: false, name: "Alice Tech" });
  tech2 = await makeUser(db, { role: "TECHNICIAN", mfa: false, name: "Bob Tech" });
  requester = await makeUser(db, { mfa: false });
  catA = await makeCategory(db, { name: "Hardware" });
  catB = await makeCategory(db, { name: "Network" });
  type T = {
    created: string;
    priority?: "LOW" | "MEDIUM" | "HIGH" | "URGENT";
    cat: { id: string };
    tech: { id: string } | null;
    status: "NEW" | "OPEN" | "RESOLVED" | "CLOSED";
    firstResponseAt?: Date;
    firstResponseDueAt?: Date;
    resolvedAt?: Date;
    resolutionDueAt?: Date;
    next?: [number, number];
    deleted?: boolean;
  };
  const make = async (name: string, t: T) => {
    const row = await db.ticket.create({
      data: {
        title: `Reports ${name}`,
        description: "Seeded for the reports test.",
        status: t.status,
        priority: t.priority ?? "MEDIUM",
        categoryId: t.cat.id,
        requesterId: requester.id,
        assigneeId: t.tech?.id ?? null,
        createdAt: at(t.created),
        firstResponseAt: t.firstResponseAt ?? null,
        firstResponseDueAt: t.firstResponseDueAt ?? null,
        resolvedAt: t.resolvedAt ?? null,
        closedAt: t.status === "CLOSED" ? (t.resolvedAt ?? null) : null,
        resolutionDueAt: t.resolutionDueAt ?? null,
        nextResponseCount: t.next?.[0] ?? 0,
        nextResponseBreaches: t.next?.[1] ?? 0,
        deletedAt: t.deleted ? at("2026-01-15T00:00:00Z") : null,
      },
    });
    tickets[name] = row.id;
  };
  const c1 = at("2026-01-09T23:30:00Z"); // 00:30 on the 10th in Berlin (the 9th in UTC)
  // T1: first response in 30 min (met, due 1 h), resolved after 72 h (missed, due 48 h), at
  // 23:30 UTC on the 12th = the 13th in Berlin: outside the range's days. Two next responses, one late.
  await make("T1", {
    created: c1.toISOString(),
    priority: "HIGH",
    cat: catA,
    tech: tech1,
    status: "RESOLVED",
    firstResponseAt: hours(c1, 0.5),
    firstResponseDueAt: hours(c1, 1),
    resolvedAt: hours(c1, 72),
    resolutionDueAt: hours(c1, 48),
    next: [2, 1],
  });
  // T2: first response after 5 h (missed, due 4 h), resolved after 24 h (met, due 48 h).
  const c2 = at("2026-01-10T12:00:00Z");
  await make("T2", {
    created: c2.toISOString(),
    cat: catA,
    tech: tech2,
    status: "CLOSED",
    firstResponseAt: hours(c2, 5),
    firstResponseDueAt: hours(c2, 4),
    resolvedAt: hours(c2, 24),
    resolutionDueAt: hours(c2, 48),
    next: [1, 0],
  });
  // T3: 23:59 on the 11th in Berlin; never answered, never resolved, both due times passed.
  const c3 = at("2026-01-11T22:59:00Z");
  await make("T3", {
    created: c3.toISOString(),
    priority: "LOW",
    cat: catB,
    tech: tech1,
    status: "OPEN",
    firstResponseDueAt: hours(c3, 8),
    resolutionDueAt: hours(c3, 48),
  });
  // T4: the 12th in UTC but the 13th in Berlin: outside the Berlin range, inside the UTC one.
  await make("T4", { created: "2026-01-12T23:30:00Z", cat: catA, tech: tech1, status: "OPEN" });
  // T5: before the range, still open, unassigned: in every backlog.
  await make("T5", { created: "2026-01-05T10:00:00Z", cat: catB, tech: null, status: "NEW" });
  // T6: before the range, resolved on the 10th.
  await make("T6", {
    created: "2026-01-05T10:00:00Z",
    cat: catA,
    tech: tech2,
    status: "RESOLVED",
    resolvedAt: at("2026-01-10T10:00:00Z"),
  });
  // T7: deleted: nowhere.
  await make("T7", {
    created: "2026-01-11T10:00:00Z",
    cat: catA,
    tech: tech1,
    status: "OPEN",
    firstResponseDueAt: at("2026-01-11T11:00:00Z"),
    deleted: true,
  });
  // T8: after the range, open.
  await make("T8", { created: "2026-01-19T12:00:00Z", cat: catA, tech: tech2, status: "OPEN" });
  // T9: in the range, first response due after "now": still running, neither met nor missed.
  await make("T9", {
    created: "2026-01-12T10:00:00Z",
    priority: "URGENT",
    cat: catB,
    tech: tech2,
    status: "NEW",
    firstResponseDueAt: at("2026-01-25T00:00:00Z"),
  });

  const survey = (
    ticket: string,
    tech: { id: string },
    cat: { id: string },
    rating: "GOOD" | "OKAY" | "BAD" | null,
    answeredAt: string | null,
    resolvedAt: string,
  ) =>
    db.csatSurvey.create({
      data: {
        ticketId: tickets[ticket]!,
        requesterId: requester.id,
        assigneeId: tech.id,
        categoryId: cat.id,
        resolvedAt: at(resolvedAt),
        tokenHash: `${ticket}-${resolvedAt}`,
        expiresAt: at("2026-02-01T00:00:00Z"),
        rating,
        answeredAt: answeredAt ? at(answeredAt) : null,
      },
    });
  await survey("T1", tech1, catA, "GOOD", "2026-01-10T05:00:00Z", "2026-01-10T04:00:00Z");
  await survey("T2", tech2, catA, "BAD", "2026-01-11T08:00:00Z", "2026-01-11T12:00:00Z");
  // 23:30 on the 12th in Berlin: inside.
  await survey("T6", tech2, catA, "OKAY", "2026-01-12T22:30:00Z", "2026-01-10T10:00:00Z");
  // 00:10 on the 13th in Berlin: outside.
  await survey("T6", tech1, catB, "GOOD", "2026-01-12T23:10:00Z", "2026-01-12T10:00:00Z");
  // Not answered: not counted.
  await survey("T3", tech1, catB, null, null, "2026-01-11T23:00:00Z");

  const entry = (
    ticket: string,
    user: { id: string },
    minutes: number,
    day: string,
    billable: boolean,
  ) =>
    db.ticket.findUniqueOrThrow({ where: { id: tickets[ticket]! } }).then((t) =>
      db.timeEntry.create({
        data: {
          ticketId: t.id,
          categoryId: t.categoryId,
          userId: user.id,
          minutes,
          workDate: at(day),
          billable,
        },
      }),
    );
  await entry("T1", tech1, 30, "2026-01-10", true);
  await entry("T3", tech1, 45, "2026-01-12", false);
  await entry("T2", tech2, 60, "2026-01-11", true);
  await entry("T2", tech2, 15, "2026-01-13", true); // after the range
  await entry("T7", tech1, 20, "2026-01-11", false); // deleted ticket
});

const ctx = (timeZone = BERLIN) => ({ timeZone, now: NOW, db: scratch.db });
const row = <T extends { dimension: string; key: string | null }>(
  rows: T[],
  dimension: string,
  key: string | null = null,
) => rows.find((r) => r.dimension === dimension && r.key === key);

describe("reports", () => {
  it_("SLA compliance: met, missed and still running per target, per dimension", async () => {
    const sla = await getReport(admin, "sla", RANGE, ctx());
    // Created in the Berlin range and live: T1, T2, T3, T9.
    expect(row(sla, "all")).toEqual({
      dimension: "all",
      key: null,
      label: "All tickets",
      tickets: 4,
      firstResponse: { met: 1, missed: 2, percent: 33.3 }, // T1 met; T2 late, T3 none; T9 running
      resolution: { met: 1, missed: 2, percent: 33.3 }, // T2 met; T1 late, T3 passed
      nextResponse: { given: 3, late: 1, percent: 66.7 },
    });
    expect(row(sla, "technician", tech1.id)).toMatchObject({
      label: "Alice Tech",
      tickets: 2,
      firstResponse: { met: 1, missed: 1, percent: 50 },
      resolution: { met: 0, missed: 2, percent: 0 },
      nextResponse: { given: 2, late: 1, percent: 50 },
    });
    expect(row(sla, "technician", tech2.id)).toMatchObject({
      tickets: 2,
      firstResponse: { met: 0, missed: 1, percent: 0 },
      resolution: { met: 1, missed: 0, percent: 100 },
      nextResponse: { given: 1, late: 0, percent: 100 },
    });
    expect(row(sla, "category", catB.id)).toMatchObject({
      label: "Network",
      tickets: 2,
      firstResponse: { met: 0, missed: 1 },
      resolution: { met: 0, missed: 1 },
    });
    expect(sla.filter((r) => r.dimension === "priority").map((r) => [r.key, r.tickets])).toEqual([
      ["URGENT", 1],
      ["HIGH", 1],
      ["MEDIUM", 1],
      ["LOW", 1],
    ]);
    // T9's running first response: no percentage of its own.
    expect(row(sla, "priority", "URGENT")!.firstResponse).toEqual({
      met: 0,
      missed: 0,
      percent: null,
    });
  });

  it_("backlog and created vs resolved per Berlin day", async () => {
    const points = await getReport(admin, "volume", RANGE, ctx());
    expect(points).toEqual([
      // Created T1 (Berlin 00:30), T2; resolved T6; open at the end: T5, T1, T2.
      { bucket: "2026-01-10", created: 2, resolved: 1, backlog: 3 },
      // Created T3 (23:59); resolved T2; open: T5, T1, T3.
      { bucket: "2026-01-11", created: 1, resolved: 1, backlog: 3 },
      // Created T9; T1 was resolved on the 13th in Berlin; open: T5, T1, T3, T9.
      { bucket: "2026-01-12", created: 1, resolved: 0, backlog: 4 },
    ]);
  });

  it_("the same range in UTC moves T1 out and T4 in", async () => {
    const points = await getReport(admin, "volume", RANGE, ctx("UTC"));
    expect(points.map((p) => [p.bucket, p.created, p.resolved, p.backlog])).toEqual([
      ["2026-01-10", 1, 1, 3], // T2; T6 resolved; open: T5, T1 (09th), T2
      ["2026-01-11", 1, 1, 3], // T3; T2 resolved; open: T5, T1, T3
      ["2026-01-12", 2, 1, 4], // T9, T4 (23:30); T1 resolved at 23:30 UTC; open: T5, T3, T9, T4
    ]);
    const sla = await getReport(admin, "sla", RANGE, ctx("UTC"));
    expect(row(sla, "all")!.tickets).toBe(4); // T2, T3, T4, T9
    // An invalid zone falls back to UTC, never reaches SQL as text.
    expect(await getReport(admin, "volume", RANGE, ctx("Not/A_Zone'; --"))).toEqual(points);
  });

  it_("groups by week and month", async () => {
    const week = await getReport(admin, "volume", { ...RANGE, group: "week" }, ctx());
    // 10-11 Jan 2026 are Sat-Sun (week of 5 Jan), 12 Jan a Monday.
    expect(week).toEqual([
      { bucket: "2026-01-05", created: 3, resolved: 2, backlog: 3 },
      { bucket: "2026-01-12", created: 1, resolved: 0, backlog: 4 },
    ]);
    const month = await getReport(admin, "volume", { ...RANGE, group: "month" }, ctx());
    expect(month).toEqual([{ bucket: "2026-01-01", created: 4, resolved: 2, backlog: 4 }]);
  });

  it_("first response and resolution time distributions, median and p90", async () => {
    const times = await getReport(admin, "times", RANGE, ctx());
    // First responses: T1 0.5 h, T2 5 h. Resolutions: T1 72 h (3 d: "3–7 d"), T2 24 h ("1–3 d").
    expect(times.firstResponse).toEqual({
      buckets: [1, 0, 1, 0, 0, 0, 0],
      count: 2,
      medianHours: 2.75,
      p90Hours: 4.55, // 0.5 + 0.9 * 4.5
    });
    expect(times.resolution).toEqual({
      buckets: [0, 0, 0, 0, 1, 1, 0],
      count: 2,
      medianHours: 48,
      p90Hours: 67.2, // 24 + 0.9 * 48
    });
  });

  it_("CSAT per technician and category, answered in the range", async () => {
    const rows = await getReport(admin, "csat", RANGE, ctx());
    expect(row(rows, "all")).toMatchObject({
      good: 1,
      okay: 1,
      bad: 1,
      total: 3,
      goodPercent: 33.3,
      okayPercent: 33.3,
      badPercent: 33.3,
    });
    expect(row(rows, "technician", tech1.id)).toMatchObject({
      good: 1,
      total: 1,
      goodPercent: 100,
    });
    expect(row(rows, "technician", tech2.id)).toMatchObject({
      okay: 1,
      bad: 1,
      total: 2,
      badPercent: 50,
    });
    expect(row(rows, "category", catA.id)).toMatchObject({ total: 3 });
    expect(row(rows, "category", catB.id)).toBeUndefined();
  });

  it_("time logged per technician and category, billable or not", async () => {
    const rows = await getReport(admin, "time", RANGE, ctx());
    expect(row(rows, "all")).toMatchObject({
      billableMinutes: 90,
      nonBillableMinutes: 45,
      totalMinutes: 135,
    });
    expect(row(rows, "technician", tech1.id)).toMatchObject({
      billableMinutes: 30,
      nonBillableMinutes: 45,
    });
    expect(row(rows, "technician", tech2.id)).toMatchObject({ billableMinutes: 60 });
    expect(row(rows, "category", catA.id)).toMatchObject({ totalMinutes: 90 });
    expect(row(rows, "category", catB.id)).toMatchObject({ nonBillableMinutes: 45 });
  });

  it_("admin filters by technician, category and priority", async () => {
    const byTech = await getReports(admin, {
      ...ctx(),
      filters: { ...RANGE, technicianId: tech2.id },
    });
    expect(row(byTech.sla, "all")!.tickets).toBe(2);
    expect(row(byTech.time, "all")!.totalMinutes).toBe(60);
    expect(row(byTech.csat, "all")!.total).toBe(2);
    const byCat = await getReports(admin, { ...ctx(), filters: { ...RANGE, categoryId: catB.id } });
    expect(row(byCat.sla, "all")!.tickets).toBe(2);
    expect(row(byCat.time, "all")!.totalMinutes).toBe(45);
    expect(row(byCat.csat, "all")!.total).toBe(0);
    const high = await getReports(admin, { ...ctx(), filters: { ...RANGE, priority: "HIGH" } });
    expect(row(high.sla, "all")!.tickets).toBe(1);
    expect(row(high.time, "all")!.totalMinutes).toBe(30);
    expect(row(high.csat, "all")!.total).toBe(1);
  });

  it_("a technician sees only their own work, even with a forged technician filter", async () => {
    for (const filters of [RANGE, { ...RANGE, technicianId: tech2.id }]) {
      const mine = await getReports(tech1, { ...ctx(), filters: filters });
      expect(mine.filters.technicianId).toBe(tech1.id);
      expect(mine.sla.filter((r) => r.dimension === "technician").map((r) => r.key)).toEqual([
        tech1.id,
      ]);
      expect(row(mine.sla, "all")).toMatchObject({
        tickets: 2,
        firstResponse: { met: 1, missed: 1 },
      });
      expect(row(mine.csat, "all")).toMatchObject({ good: 1, total: 1 });
      expect(row(mine.csat, "technician", tech2.id)).toBeUndefined();
      expect(row(mine.time, "all")).toMatchObject({ billableMinutes: 30, nonBillableMinutes: 45 });
      expect(row(mine.time, "technician", tech2.id)).toBeUndefined();
      // Backlog of T1, T3 (T4 after the range): open at the end of each day.
      expect(mine.volume.map((p) => [p.created, p.resolved, p.backlog])).toEqual([
        [1, 0, 1],
        [1, 0, 2],
        [0, 0, 2],
      ]);
      expect(mine.times.firstResponse.count).toBe(1);
    }
  });

  it_("requesters are refused", async () => {
    await expect(getReport(requester, "sla", RANGE, ctx())).rejects.toBeInstanceOf(ForbiddenError);
  });

  it_("an empty range: zeros and no percentages", async () => {
    const empty: ReportFilters = { from: "2025-06-01", to: "2025-06-02", group: "day" };
    const all = await getReports(admin, { ...ctx(), filters: empty });
    expect(row(all.sla, "all")).toMatchObject({
      tickets: 0,
      firstResponse: { met: 0, missed: 0, percent: null },
      nextResponse: { given: 0, late: 0, percent: null },
    });
    expect(all.volume).toEqual([
      { bucket: "2025-06-01", created: 0, resolved: 0, backlog: 0 },
      { bucket: "2025-06-02", created: 0, resolved: 0, backlog: 0 },
    ]);
    expect(all.times.firstResponse).toEqual({
      buckets: [0, 0, 0, 0, 0, 0, 0],
      count: 0,
      medianHours: null,
      p90Hours: null,
    });
    expect(all.csat).toEqual([expect.objectContaining({ dimension: "all", total: 0 })]);
    expect(all.time).toEqual([expect.objectContaining({ dimension: "all", totalMinutes: 0 })]);
  });
});

describe("report filters", () => {
  const context = { timeZone: BERLIN, now: NOW };
  it("defaults to the last 30 local days by day", () => {
    expect(parseReportFilters({}, context)).toEqual({
      from: "2025-12-22",
      to: "2026-01-20",
      group: "day",
    });
    // 23:30 UTC on the 20th is the 21st in Berlin.
    expect(
      parseReportFilters({}, { timeZone: BERLIN, now: Date.parse("2026-01-20T23:30:00Z") }).to,
    ).toBe("2026-01-21");
  });
  it("swaps a reversed range, cuts it to 400 days and drops invalid values", () => {
    expect(
      parseReportFilters(
        { from: "2026-01-12", to: "2026-01-10", group: "week", priority: "HIGH" },
        context,
      ),
    ).toEqual({ from: "2026-01-10", to: "2026-01-12", group: "week", priority: "HIGH" });
    expect(parseReportFilters({ from: "2020-01-01", to: "2026-01-10" }, context).from).toBe(
      "2024-12-07",
    );
    expect(
      parseReportFilters(
        new URLSearchParams("from=2026-02-30&group=year&priority=x&category=a'b&technician=t1"),
        context,
      ),
    ).toEqual({ from: "2025-12-22", to: "2026-01-20", group: "day", technicianId: "t1" });
  });
  it("periods follow the zone's days across a DST change", () => {
    // Berlin moves to summer time in the night of 28-29 March 2026: that day has 23 hours.
    const { labels, bounds } = periodsOf("2026-03-28", "2026-03-30", "day", BERLIN);
    expect(labels).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(bounds.map((d) => d.toISOString())).toEqual([
      "2026-03-27T23:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
      "2026-03-29T22:00:00.000Z",
      "2026-03-30T22:00:00.000Z",
    ]);
    // A week range starting on a Saturday: the first period is labelled by its Monday.
    expect(periodsOf("2026-01-10", "2026-01-20", "week", "UTC").labels).toEqual([
      "2026-01-05",
      "2026-01-12",
      "2026-01-19",
    ]);
  });
});
