// `npm run bench -- --sla`: the cost of the SLA arithmetic every ticket write pays
// (lib/sla/business-time.ts, lib/sla/clock.ts), in this process, no database: due times for
// short and long targets on a 24/7 calendar and on a two-window office calendar with holidays,
// in zones with and without DST. Prints a table; --runs N (default 2,000), --out FILE.
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { addBusinessMinutes, type BusinessCalendarSpec } from "@/lib/sla/business-time";
import { nextSlaColumns, NO_SLA_COLUMNS } from "@/lib/sla/clock";
import { summarize, type Summary } from "./stats";

const WEEKDAYS = [1, 2, 3, 4, 5];
const office = (timeZone: string): BusinessCalendarSpec => ({
  timeZone,
  alwaysOpen: false,
  windows: WEEKDAYS.flatMap((day) => [
    { day, start: 9 * 60, end: 12 * 60 },
    { day, start: 13 * 60, end: 17 * 60 + 30 },
  ]),
  holidays: ["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2027-04-05"],
});
const ALWAYS: BusinessCalendarSpec = {
  timeZone: "UTC",
  alwaysOpen: true,
  windows: [],
  holidays: [],
};

function time(fn: (i: number) => unknown, runs: number): Summary {
  for (let i = 0; i < 200; i++) fn(i); // warm-up (JIT, the zone-rule memo)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn(i);
    samples.push((performance.now() - started) * 1000);
  }
  return summarize(samples); // microseconds
}

export async function benchSla(args: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i === -1 ? undefined : args[i + 1];
  };
  const runs = Number(arg("runs") ?? 2000);
  const base = Date.parse("2026-12-03T10:17:00Z");
  // Start moments spread over a year (DST changes, holidays, weekends included).
  const from = (i: number) => new Date(base + ((i * 7_919_000) % (365 * 86_400_000)));
  const cases: [string, BusinessCalendarSpec, number][] = [
    ["24/7, 4 h", ALWAYS, 240],
    ["office Berlin, 4 h", office("Europe/Berlin"), 240],
    ["office Berlin, 2 days (16.5 h)", office("Europe/Berlin"), 990],
    ["office Berlin, 10 weeks of minutes", office("Europe/Berlin"), 10 * 7 * 24 * 60],
    ["office New York, 4 h", office("America/New_York"), 240],
    ["office Kolkata (no DST), 4 h", office("Asia/Kolkata"), 240],
  ];
  const results: Record<string, Summary> = {};
  for (const [name, cal, minutes] of cases) {
    results[`addBusinessMinutes: ${name}`] = time(
      (i) => addBusinessMinutes(cal, from(i), minutes),
      runs,
    );
  }
  // What a ticket creation computes: three targets and their "at risk" moments.
  const policy = {
    id: "p",
    firstResponseMinutes: 240,
    nextResponseMinutes: 480,
    resolutionMinutes: 2880,
    atRiskPercent: 20,
  };
  for (const [name, cal] of [
    ["24/7", ALWAYS],
    ["office Berlin", office("Europe/Berlin")],
  ] as const) {
    results[`nextSlaColumns (a new ticket): ${name}`] = time((i) => {
      const now = from(i);
      return nextSlaColumns(
        {
          ...NO_SLA_COLUMNS,
          status: "NEW",
          createdAt: now,
          firstResponseAt: null,
          awaitingReply: true,
        },
        policy,
        cal,
        now,
      );
    }, runs);
  }
  console.log(`[bench:sla] ${runs} runs each after 200 warm-up; microseconds`);
  for (const [name, s] of Object.entries(results)) {
    console.log(`[bench:sla]   ${name}: p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} max ${s.max} µs`);
  }
  const out = arg("out");
  if (out) {
    writeFileSync(
      out,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: {
            cpus: cpus().length,
            cpuModel: cpus()[0]?.model,
            ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
          },
          loadAverage: loadavg().map((v) => +v.toFixed(2)),
          unit: "microseconds",
          results,
        },
        null,
        1,
      ) + "\n",
    );
  }
}
