// `npm run bench -- --attachments --memory-sizes 1,5,25,100`: is an upload streamed? The app's
// memory measured during single uploads of files of growing size (gzips of random bytes, one at a
// time, --memory-rounds rounds), with the per-file limit raised for this run only
// (TESSERA_ATTACHMENT_MAX_MB). If the growth does not rise with the file's size, the body is not
// held in memory; what it is made of comes from inside the app: scripts/bench/memory-probe.mjs
// (preloaded with --import) samples process.memoryUsage() and V8's young generation every 20 ms,
// and runs a full GC on SIGUSR2 before each upload so every measurement starts from one floor.
import { readFileSync } from "node:fs";

export type ProbeSample = {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  newSpace: number;
  external: number;
  arrayBuffers: number;
};
export const METRICS = [
  "rss",
  "heapTotal",
  "heapUsed",
  "newSpace",
  "external",
  "arrayBuffers",
] as const;
export type Metric = (typeof METRICS)[number];

/** One upload: per metric, MiB before (median of the second before), peak during, growth. */
export type SizedMeasurement = {
  sizeMiB: number;
  round: number;
  requestMs: number;
  samplesDuring: number;
  baseline: Record<Metric, number>;
  peak: Record<Metric, number>;
  growth: Record<Metric, number>;
  /** RSS 0.5-1 s after the answer, minus the baseline: what the upload left behind. */
  rssLeftMiB: number;
};

const MiB = 1024 * 1024;
const round1 = (v: number) => +v.toFixed(1);
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function readProbe(file: string): ProbeSample[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [t, rss, heapTotal, heapUsed, newSpace, external, arrayBuffers] = line
        .split(" ")
        .map(Number);
      return {
        t: t!,
        rss: rss!,
        heapTotal: heapTotal!,
        heapUsed: heapUsed!,
        newSpace: newSpace!,
        external: external!,
        arrayBuffers: arrayBuffers!,
      };
    });
}

function per(samples: ProbeSample[], pick: (values: number[]) => number): Record<Metric, number> {
  const out = {} as Record<Metric, number>;
  for (const m of METRICS) out[m] = round1(pick(samples.map((s) => s[m])) / MiB);
  return out;
}

/** One upload, from a GC'd floor: the probe's samples 1 s before, during, and 1 s after. */
export async function measureUpload(options: {
  pid: number;
  probeFile: string;
  sizeMiB: number;
  round: number;
  upload: () => Promise<unknown>;
}): Promise<SizedMeasurement> {
  process.kill(options.pid, "SIGUSR2"); // full GC in the app (memory-probe.mjs)
  await sleep(1500);
  const from = monotonicMicros();
  await options.upload();
  const to = monotonicMicros();
  await sleep(1000);
  const samples = readProbe(options.probeFile);
  const before = samples.filter((s) => s.t >= from - 1_000_000 && s.t < from);
  const during = samples.filter((s) => s.t >= from && s.t <= to + 100_000);
  const after = samples.filter((s) => s.t > to + 500_000 && s.t <= to + 1_000_000);
  if (before.length === 0 || during.length === 0)
    throw new Error("the memory probe took no samples");
  const baseline = per(before, median);
  const peak = per(during, (v) => Math.max(...v));
  const growth = {} as Record<Metric, number>;
  for (const m of METRICS) growth[m] = round1(peak[m] - baseline[m]);
  return {
    sizeMiB: options.sizeMiB,
    round: options.round,
    requestMs: Math.round((to - from) / 1000),
    samplesDuring: during.length,
    baseline,
    peak,
    growth,
    rssLeftMiB: round1(median(after.map((s) => s.rss)) / MiB - baseline.rss),
  };
}

/** Per size: the median growth of each metric over the rounds, and each round's RSS growth. */
export function summariseBySize(all: SizedMeasurement[]) {
  const sizes = [...new Set(all.map((m) => m.sizeMiB))].sort((a, b) => a - b);
  return sizes.map((sizeMiB) => {
    const runs = all.filter((m) => m.sizeMiB === sizeMiB);
    const growth = {} as Record<Metric, number>;
    for (const m of METRICS) growth[m] = round1(median(runs.map((r) => r.growth[m])));
    return {
      sizeMiB,
      rounds: runs.length,
      medianGrowthMiB: growth,
      rssGrowthByRoundMiB: runs.map((r) => r.growth.rss),
      medianRequestMs: median(runs.map((r) => r.requestMs)),
      medianRssLeftMiB: round1(median(runs.map((r) => r.rssLeftMiB))),
    };
  });
}

/**
 * Whether the growth rises with the size: the slope of a least-squares line through (size,
 * RSS growth) of every upload, in MiB of RSS per MiB uploaded (a body held whole: about 1 or
 * more; streamed: about 0).
 */
export function rssSlope(all: SizedMeasurement[]): number {
  const n = all.length;
  const mx = all.reduce((s, m) => s + m.sizeMiB, 0) / n;
  const my = all.reduce((s, m) => s + m.growth.rss, 0) / n;
  let num = 0;
  let den = 0;
  for (const m of all) {
    num += (m.sizeMiB - mx) * (m.growth.rss - my);
    den += (m.sizeMiB - mx) ** 2;
  }
  return den === 0 ? 0 : +(num / den).toFixed(3);
}
