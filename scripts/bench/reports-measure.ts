// Child of scripts/bench/reports.ts (run with --conditions=react-server so "server-only" loads):
// times each report of lib/reports/queries.ts over the last 365 days, warm, as an admin (every
// technician) and as one technician (scoped), grouped by day and by week, in Europe/Berlin.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { cpus, loadavg, totalmem } from "node:os";
import { DateTime } from "luxon";
import { db } from "@/lib/db";
import { getReport, type ReportViewer } from "@/lib/reports/queries";
import { REPORT_KINDS, type Grouping } from "@/lib/reports/schemas";
import { summarize, timeRuns } from "./stats";

const runs = Number(process.env.REPORTS_BENCH_RUNS ?? 10);
const out = process.env.REPORTS_BENCH_OUT!;
const log = (line: string) => console.log(`[bench:reports] ${line}`);

async function main(): Promise<void> {
  const timeZone = "Europe/Berlin";
  const now = Date.now();
  const to = DateTime.fromMillis(now, { zone: timeZone }).toISODate()!;
  const from = DateTime.fromMillis(now, { zone: timeZone }).minus({ days: 364 }).toISODate()!;
  const admin = await db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
  const tech = await db.user.findFirstOrThrow({
    where: { role: "TECHNICIAN" },
    orderBy: { email: "asc" },
  });
  const tickets = await db.ticket.count({
    where: { createdAt: { gte: DateTime.fromISO(from, { zone: timeZone }).toJSDate() } },
  });
  log(`range ${from} .. ${to} (${timeZone}): ${tickets} tickets created in it; ${runs} runs each`);
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
    },
    tickets: Number(process.env.REPORTS_BENCH_TICKETS),
    range: { from, to, timeZone, ticketsCreatedInRange: tickets },
    loadAverageBefore: loadavg().map((v) => +v.toFixed(2)),
  };
  const measured: Record<string, unknown> = {};
  const cases: [string, ReportViewer, Grouping][] = [
    ["admin/day", admin, "day"],
    ["admin/week", admin, "week"],
    ["technician/day", tech, "day"],
  ];
  for (const [name, viewer, group] of cases) {
    for (const kind of REPORT_KINDS) {
      if (kind === "backlog") continue; // the same queries as "volume"
      const samples = await timeRuns(
        () => getReport(viewer, kind, { from, to, group }, { timeZone, now }),
        runs,
        3,
      );
      const summary = summarize(samples);
      measured[`${name}/${kind}`] = summary;
      log(`  ${name} ${kind}: p50 ${summary.p50} ms, max ${summary.max} ms`);
    }
  }
  results.reports = measured;
  results.loadAverageAfter = loadavg().map((v) => +v.toFixed(2));
  results.finishedAt = new Date().toISOString();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${out}`);
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
