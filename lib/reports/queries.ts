import "server-only";
// The reports of /reports (issue 15 §6): SQL aggregates over the ticket's own columns (ADR 024),
// CSAT surveys and time entries. Every query is a tagged template (parameters, never string
// concatenation). Scoping is decided here from the viewer alone: "reports:read" with scope "all"
// (admins) sees everyone and may filter by technician; scope "own" (technicians) always gets their
// own id as the technician, whatever the filters say. Days are the viewer's local days.
import { DateTime } from "luxon";
import { db as defaultDb, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { assertCan, canOnAny, type Role } from "@/lib/auth/permissions";
import { FALLBACK_TIME_ZONE, validTimeZone } from "@/lib/dates";
import {
  DURATION_BOUNDS_HOURS,
  type Grouping,
  type ReportFilters,
  type ReportKind,
} from "@/lib/reports/schemas";

export type ReportViewer = { id: string; role: Role };
export type ReportContext = {
  timeZone: string;
  now: number;
  /** The database (tests pass a scratch database of their own); default lib/db. */
  db?: Db;
};

/** The query's scope: the filters with the technician forced for "own", the instants of the range. */
type Scope = {
  db: Db;
  filters: ReportFilters;
  zone: string;
  start: Date;
  end: Date;
  now: Date;
};

/** The filters as applied for this viewer: scope "own" always gets the viewer as technician. */
export function effectiveFilters(viewer: ReportViewer, filters: ReportFilters): ReportFilters {
  assertCan(viewer, "reports:read");
  return {
    ...filters,
    technicianId: canOnAny(viewer, "reports:read") ? filters.technicianId : viewer.id,
  };
}

export function reportScope(
  viewer: ReportViewer,
  filters: ReportFilters,
  context: ReportContext,
): Scope {
  const applied = effectiveFilters(viewer, filters);
  const zone = validTimeZone(context.timeZone) ?? FALLBACK_TIME_ZONE;
  const day = (d: string) => DateTime.fromISO(d, { zone }).startOf("day");
  return {
    db: context.db ?? defaultDb,
    filters: applied,
    zone,
    start: day(filters.from).toJSDate(),
    end: day(filters.to).plus({ days: 1 }).startOf("day").toJSDate(),
    now: new Date(context.now),
  };
}

/** Filters on a ticket alias `t`; `technician` false when the technician is matched elsewhere. */
function ticketFilters(s: Scope, technician = true): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`t."deletedAt" IS NULL`];
  if (s.filters.priority)
    parts.push(Prisma.sql`t."priority" = ${s.filters.priority}::"TicketPriority"`);
  if (s.filters.categoryId) parts.push(Prisma.sql`t."categoryId" = ${s.filters.categoryId}`);
  if (technician && s.filters.technicianId)
    parts.push(Prisma.sql`t."assigneeId" = ${s.filters.technicianId}`);
  return Prisma.join(parts, " AND ");
}

/**
 * The periods of the range in the viewer's zone: each one's first local day (its label) and the
 * UTC instants where the periods start, plus the range's end. Computed with luxon (DST-exact) and
 * handed to SQL as one sorted array: width_bucket() then files a row under its period with a
 * binary search instead of a time-zone conversion per row.
 */
export function periodsOf(
  from: string,
  to: string,
  group: Grouping,
  zone: string,
): { labels: string[]; bounds: Date[] } {
  const first = DateTime.fromISO(from, { zone }).startOf("day");
  const end = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf("day");
  const labels: string[] = [];
  const bounds: Date[] = [];
  for (let d = first; d < end;) {
    labels.push(d.startOf(group).toISODate()!);
    bounds.push(d.toJSDate());
    d = d.startOf(group).plus({ [`${group}s`]: 1 });
  }
  bounds.push(end.toJSDate());
  return { labels, bounds };
}

/** The bounds as a timestamp[] parameter (the columns are UTC timestamps without zone). */
const boundsSql = (bounds: Date[]) =>
  Prisma.sql`${bounds.map((d) => d.toISOString().slice(0, 23))}::timestamp[]`;

/**
 * Rows of another table (alias `x`, ticket id column `ticketId`) whose ticket is live and passes
 * the priority filter. Without a priority filter no ticket row is read: an anti-join on the few
 * deleted tickets (index Ticket_deleted_idx) instead of a join on a million.
 */
function liveTicketOf(x: Prisma.Sql, s: Scope, category?: string): Prisma.Sql {
  const { priority } = s.filters;
  if (!priority && !category) {
    return Prisma.sql`NOT EXISTS (SELECT 1 FROM "Ticket" d
      WHERE d."id" = ${x}."ticketId" AND d."deletedAt" IS NOT NULL)`;
  }
  return Prisma.sql`EXISTS (SELECT 1 FROM "Ticket" t WHERE t."id" = ${x}."ticketId"
    AND ${ticketFilters({ ...s, filters: { ...s.filters, categoryId: category } }, false)})`;
}

const pct = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

async function namesOf(db: Db, userIds: string[], categoryIds: string[]) {
  const [users, categories] = await Promise.all([
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })
      : [],
    categoryIds.length
      ? db.category.findMany({
          where: { id: { in: categoryIds } },
          select: { id: true, name: true },
        })
      : [],
  ]);
  return {
    user: new Map(users.map((u) => [u.id, u.name])),
    category: new Map(categories.map((c) => [c.id, c.name])),
  };
}

// ---- 1. SLA compliance -------------------------------------------------------------------------

export type SlaRow = {
  /** "all", or the dimension of the breakdown. */
  dimension: "all" | "priority" | "category" | "technician";
  key: string | null;
  label: string;
  tickets: number;
  firstResponse: { met: number; missed: number; percent: number | null };
  resolution: { met: number; missed: number; percent: number | null };
  nextResponse: { given: number; late: number; percent: number | null };
};

type SlaSqlRow = {
  dim: SlaRow["dimension"];
  key: string | null;
  tickets: number;
  fr_met: number;
  fr_missed: number;
  res_met: number;
  res_missed: number;
  next_given: number;
  next_late: number;
};

/**
 * Over tickets created in the range: a target is met when its moment came on or before its due
 * time, missed when it came later or never came and the due time passed; still running = neither.
 */
export async function slaCompliance(s: Scope): Promise<SlaRow[]> {
  const rows = await s.db.$queryRaw<SlaSqlRow[]>`
    SELECT
      CASE WHEN GROUPING(t."priority") = 0 THEN 'priority'
           WHEN GROUPING(t."categoryId") = 0 THEN 'category'
           WHEN GROUPING(t."assigneeId") = 0 THEN 'technician' ELSE 'all' END AS dim,
      COALESCE(t."priority"::text, t."categoryId", t."assigneeId") AS key,
      count(*)::int AS tickets,
      count(*) FILTER (WHERE t."firstResponseAt" <= t."firstResponseDueAt")::int AS fr_met,
      count(*) FILTER (WHERE t."firstResponseAt" > t."firstResponseDueAt"
        OR (t."firstResponseAt" IS NULL AND t."firstResponseDueAt" < ${s.now}))::int AS fr_missed,
      count(*) FILTER (WHERE t."resolvedAt" <= t."resolutionDueAt")::int AS res_met,
      count(*) FILTER (WHERE t."resolvedAt" > t."resolutionDueAt"
        OR (t."resolvedAt" IS NULL AND t."resolutionDueAt" < ${s.now}))::int AS res_missed,
      COALESCE(sum(t."nextResponseCount"), 0)::int AS next_given,
      COALESCE(sum(t."nextResponseBreaches"), 0)::int AS next_late
    FROM "Ticket" t
    WHERE ${ticketFilters(s)} AND t."createdAt" >= ${s.start} AND t."createdAt" < ${s.end}
    GROUP BY GROUPING SETS ((), (t."priority"), (t."categoryId"), (t."assigneeId"))`;
  const names = await namesOf(
    s.db,
    rows.filter((r) => r.dim === "technician" && r.key).map((r) => r.key!),
    rows.filter((r) => r.dim === "category" && r.key).map((r) => r.key!),
  );
  const order = { all: 0, priority: 1, category: 2, technician: 3 } as const;
  const priorities = ["URGENT", "HIGH", "MEDIUM", "LOW"];
  if (!rows.some((r) => r.dim === "all")) {
    rows.push({
      dim: "all",
      key: null,
      tickets: 0,
      fr_met: 0,
      fr_missed: 0,
      res_met: 0,
      res_missed: 0,
      next_given: 0,
      next_late: 0,
    });
  }
  return rows
    .map((r): SlaRow => ({
      dimension: r.dim,
      key: r.key,
      label:
        r.dim === "all"
          ? "All tickets"
          : r.dim === "priority"
            ? r.key!
            : r.dim === "category"
              ? (names.category.get(r.key!) ?? "Unknown")
              : r.key
                ? (names.user.get(r.key) ?? "Unknown")
                : "Unassigned",
      tickets: r.tickets,
      firstResponse: {
        met: r.fr_met,
        missed: r.fr_missed,
        percent: pct(r.fr_met, r.fr_met + r.fr_missed),
      },
      resolution: {
        met: r.res_met,
        missed: r.res_missed,
        percent: pct(r.res_met, r.res_met + r.res_missed),
      },
      nextResponse: {
        given: r.next_given,
        late: r.next_late,
        percent: pct(r.next_given - r.next_late, r.next_given),
      },
    }))
    .sort(
      (a, b) =>
        order[a.dimension] - order[b.dimension] ||
        (a.dimension === "priority"
          ? priorities.indexOf(a.key!) - priorities.indexOf(b.key!)
          : a.label.localeCompare(b.label)),
    );
}

// ---- 2 and 3. Backlog, created vs resolved -----------------------------------------------------

export type VolumePoint = { bucket: string; created: number; resolved: number; backlog: number };

/**
 * Per bucket: tickets created, tickets resolved (and still done: a reopen clears resolvedAt), and
 * the backlog (open tickets) at the bucket's end. backlog(T) = open now + done after T - created
 * after T, so nothing older than the range is read: only the open set and the rows since `start`.
 */
export async function volume(s: Scope): Promise<VolumePoint[]> {
  const where = ticketFilters(s);
  const { labels, bounds } = periodsOf(s.filters.from, s.filters.to, s.filters.group, s.zone);
  // 1..labels.length: the period; labels.length + 1: after the range.
  const period = (col: Prisma.Sql) => Prisma.sql`width_bucket(${col}, ${boundsSql(bounds)})`;
  const [open, created, resolved] = await Promise.all([
    s.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Ticket" t
      WHERE ${where} AND t."status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD')`,
    s.db.$queryRaw<{ period: number; n: number }[]>`
      SELECT ${period(Prisma.sql`t."createdAt"`)} AS period, count(*)::int AS n
      FROM "Ticket" t WHERE ${where} AND t."createdAt" >= ${s.start} GROUP BY 1`,
    s.db.$queryRaw<{ period: number; n: number }[]>`
      SELECT ${period(Prisma.sql`t."resolvedAt"`)} AS period, count(*)::int AS n
      FROM "Ticket" t
      WHERE ${where} AND t."status" IN ('RESOLVED', 'CLOSED') AND t."resolvedAt" >= ${s.start}
      GROUP BY 1`,
  ]);
  const createdBy = new Map(created.map((r) => [r.period, r.n]));
  const resolvedBy = new Map(resolved.map((r) => [r.period, r.n]));
  const after = labels.length + 1;
  // Walk backwards from "now": the backlog at the end of the last period is the open count plus
  // what was resolved after the range minus what was created after it.
  let backlog = (open[0]?.n ?? 0) + (resolvedBy.get(after) ?? 0) - (createdBy.get(after) ?? 0);
  const points: VolumePoint[] = [];
  for (let i = labels.length - 1; i >= 0; i--) {
    const c = createdBy.get(i + 1) ?? 0;
    const r = resolvedBy.get(i + 1) ?? 0;
    points.push({ bucket: labels[i]!, created: c, resolved: r, backlog });
    backlog += r - c;
  }
  return points.reverse();
}

// ---- 4. Distributions --------------------------------------------------------------------------

export type Distribution = {
  /** Tickets per duration bucket (DURATION_LABELS), then median and p90 in hours. */
  buckets: number[];
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
};

export type Distributions = { firstResponse: Distribution; resolution: Distribution };

/**
 * Wall-clock hours from creation to the first response and to the resolution, over tickets created
 * in the range. Three aggregates run side by side (ordered-set aggregates do not run in parallel
 * workers); date_part gives float8 (extract would give numeric, several times slower to sort).
 */
export async function distributions(s: Scope): Promise<Distributions> {
  const bounds = Prisma.sql`ARRAY[${Prisma.join([...DURATION_BOUNDS_HOURS])}]::float8[]`;
  const range = Prisma.sql`${ticketFilters(s)} AND t."createdAt" >= ${s.start} AND t."createdAt" < ${s.end}`;
  const fr = Prisma.sql`date_part('epoch', t."firstResponseAt" - t."createdAt") / 3600`;
  const res = Prisma.sql`date_part('epoch', t."resolvedAt" - t."createdAt") / 3600`;
  const percentiles = (hours: Prisma.Sql) => s.db.$queryRaw<{ p: number[] | null }[]>`
    SELECT percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY ${hours}) AS p
    FROM "Ticket" t WHERE ${range}`;
  const [counts, frP, resP] = await Promise.all([
    s.db.$queryRaw<{ fr: number | null; res: number | null; n: number }[]>`
      SELECT width_bucket(${fr}, ${bounds}) AS fr, width_bucket(${res}, ${bounds}) AS res,
        count(*)::int AS n
      FROM "Ticket" t WHERE ${range} GROUP BY 1, 2`,
    percentiles(fr),
    percentiles(res),
  ]);
  const make = (key: "fr" | "res", p: number[] | null | undefined): Distribution => {
    const buckets = DURATION_LABELS_INDEXES.map(() => 0);
    for (const row of counts) if (row[key] !== null) buckets[row[key]!]! += row.n;
    return {
      buckets,
      count: buckets.reduce((a, b) => a + b, 0),
      medianHours: round2(p?.[0] ?? null),
      p90Hours: round2(p?.[1] ?? null),
    };
  };
  return { firstResponse: make("fr", frP[0]?.p), resolution: make("res", resP[0]?.p) };
}

const DURATION_LABELS_INDEXES = Array.from(
  { length: DURATION_BOUNDS_HOURS.length + 1 },
  (_, i) => i,
);
const round2 = (v: number | null) => (v === null ? null : Math.round(Number(v) * 100) / 100);

// ---- 5. CSAT -----------------------------------------------------------------------------------

export type CsatRow = {
  dimension: "all" | "technician" | "category";
  key: string | null;
  label: string;
  good: number;
  okay: number;
  bad: number;
  total: number;
  goodPercent: number | null;
  okayPercent: number | null;
  badPercent: number | null;
};

/** Surveys answered in the range, per technician (the assignee at resolution) and category. */
export async function csat(s: Scope): Promise<CsatRow[]> {
  const f = s.filters;
  const rows = await s.db.$queryRaw<
    { dim: CsatRow["dimension"]; key: string | null; good: number; okay: number; bad: number }[]
  >`
    SELECT
      CASE WHEN GROUPING(c."assigneeId") = 0 THEN 'technician'
           WHEN GROUPING(c."categoryId") = 0 THEN 'category' ELSE 'all' END AS dim,
      COALESCE(c."assigneeId", c."categoryId") AS key,
      count(*) FILTER (WHERE c."rating" = 'GOOD')::int AS good,
      count(*) FILTER (WHERE c."rating" = 'OKAY')::int AS okay,
      count(*) FILTER (WHERE c."rating" = 'BAD')::int AS bad
    FROM "CsatSurvey" c
    WHERE c."answeredAt" >= ${s.start} AND c."answeredAt" < ${s.end} AND c."rating" IS NOT NULL
      AND ${liveTicketOf(Prisma.sql`c`, s)}
      ${f.categoryId ? Prisma.sql`AND c."categoryId" = ${f.categoryId}` : Prisma.empty}
      ${f.technicianId ? Prisma.sql`AND c."assigneeId" = ${f.technicianId}` : Prisma.empty}
    GROUP BY GROUPING SETS ((), (c."assigneeId"), (c."categoryId"))`;
  const names = await namesOf(
    s.db,
    rows.filter((r) => r.dim === "technician" && r.key).map((r) => r.key!),
    rows.filter((r) => r.dim === "category" && r.key).map((r) => r.key!),
  );
  if (!rows.some((r) => r.dim === "all"))
    rows.push({ dim: "all", key: null, good: 0, okay: 0, bad: 0 });
  const order = { all: 0, technician: 1, category: 2 } as const;
  return rows
    .map((r): CsatRow => {
      const total = r.good + r.okay + r.bad;
      return {
        dimension: r.dim,
        key: r.key,
        label:
          r.dim === "all"
            ? "All surveys"
            : r.dim === "category"
              ? (names.category.get(r.key!) ?? "Unknown")
              : r.key
                ? (names.user.get(r.key) ?? "Unknown")
                : "Unassigned",
        good: r.good,
        okay: r.okay,
        bad: r.bad,
        total,
        goodPercent: pct(r.good, total),
        okayPercent: pct(r.okay, total),
        badPercent: pct(r.bad, total),
      };
    })
    .sort((a, b) => order[a.dimension] - order[b.dimension] || a.label.localeCompare(b.label));
}

// ---- 6. Time logged ----------------------------------------------------------------------------

export type TimeRow = {
  dimension: "all" | "technician" | "category";
  key: string | null;
  label: string;
  billableMinutes: number;
  nonBillableMinutes: number;
  totalMinutes: number;
};

/**
 * Minutes logged with a work date in the range (work dates are already local days), per
 * technician and per category without reading tickets (see liveTicketOf).
 */
export async function timeLogged(s: Scope): Promise<TimeRow[]> {
  const f = s.filters;
  type Row = { dim: TimeRow["dimension"]; key: string | null; billable: number; other: number };
  // The entry's own category: the ticket's when the time was logged (TimeEntry.categoryId), so
  // no ticket is read unless a priority filter asks for it.
  const entries = Prisma.sql`e."workDate" >= ${f.from}::date AND e."workDate" <= ${f.to}::date
    ${f.technicianId ? Prisma.sql`AND e."userId" = ${f.technicianId}` : Prisma.empty}
    ${f.categoryId ? Prisma.sql`AND e."categoryId" = ${f.categoryId}` : Prisma.empty}
    AND ${liveTicketOf(Prisma.sql`e`, s)}`;
  const sums = Prisma.sql`COALESCE(sum(e."minutes") FILTER (WHERE e."billable"), 0)::int AS billable,
    COALESCE(sum(e."minutes") FILTER (WHERE NOT e."billable"), 0)::int AS other`;
  const [people, categories] = await Promise.all([
    s.db.$queryRaw<Row[]>`
      SELECT CASE WHEN GROUPING(e."userId") = 0 THEN 'technician' ELSE 'all' END AS dim,
        e."userId" AS key, ${sums}
      FROM "TimeEntry" e
      WHERE ${entries}
      GROUP BY GROUPING SETS ((), (e."userId"))`,
    s.db.$queryRaw<Row[]>`
      SELECT 'category' AS dim, e."categoryId" AS key, ${sums}
      FROM "TimeEntry" e
      WHERE ${entries}
      GROUP BY e."categoryId"`,
  ]);
  const rows = [...people, ...categories];
  const names = await namesOf(
    s.db,
    rows.filter((r) => r.dim === "technician" && r.key).map((r) => r.key!),
    rows.filter((r) => r.dim === "category" && r.key).map((r) => r.key!),
  );
  if (!rows.some((r) => r.dim === "all"))
    rows.push({ dim: "all", key: null, billable: 0, other: 0 });
  const order = { all: 0, technician: 1, category: 2 } as const;
  return rows
    .map((r): TimeRow => ({
      dimension: r.dim,
      key: r.key,
      label:
        r.dim === "all"
          ? "All time"
          : r.dim === "category"
            ? (names.category.get(r.key!) ?? "Unknown")
            : (names.user.get(r.key!) ?? "Unknown"),
      billableMinutes: r.billable,
      nonBillableMinutes: r.other,
      totalMinutes: r.billable + r.other,
    }))
    .sort((a, b) => order[a.dimension] - order[b.dimension] || a.label.localeCompare(b.label));
}

// ---- one entry point -----------------------------------------------------------------------------

export type ReportData = {
  sla: SlaRow[];
  backlog: VolumePoint[];
  volume: VolumePoint[];
  times: Distributions;
  csat: CsatRow[];
  time: TimeRow[];
};

/** One report for the viewer (ForbiddenError without "reports:read"). */
export async function getReport<K extends ReportKind>(
  viewer: ReportViewer,
  kind: K,
  filters: ReportFilters,
  context: ReportContext,
): Promise<ReportData[K]> {
  const s = reportScope(viewer, filters, context);
  const run: { [P in ReportKind]: (s: Scope) => Promise<ReportData[P]> } = {
    sla: slaCompliance,
    backlog: volume,
    volume,
    times: distributions,
    csat,
    time: timeLogged,
  };
  return run[kind](s) as Promise<ReportData[K]>;
}

/** Every report at once (the page), for the viewer, with the filters as applied. */
export async function getReports(
  viewer: ReportViewer,
  request: ReportContext & { filters: ReportFilters },
): Promise<Omit<ReportData, "backlog"> & { filters: ReportFilters }> {
  const s = reportScope(viewer, request.filters, request);
  const [sla, vol, times, satisfaction, time] = await Promise.all([
    slaCompliance(s),
    volume(s),
    distributions(s),
    csat(s),
    timeLogged(s),
  ]);
  return { sla, volume: vol, times, csat: satisfaction, time, filters: s.filters };
}

/** What the filter form offers: admins pick a category and a technician; technicians only a category. */
export async function reportFilterOptions(viewer: ReportViewer, client: Db = defaultDb) {
  assertCan(viewer, "reports:read");
  const [categories, technicians] = await Promise.all([
    client.category.findMany({ orderBy: { position: "asc" }, select: { id: true, name: true } }),
    canOnAny(viewer, "reports:read")
      ? client.user.findMany({
          where: { role: { in: ["TECHNICIAN", "ADMIN"] } },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        })
      : [],
  ]);
  return { categories, technicians };
}
