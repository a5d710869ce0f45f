// Summarises a V8 CPU profile of the app (`npm run bench -- --writes --cpu-prof DIR` writes one
// per app process) into where the main thread's time went, by part of the stack:
//
//   npx tsx scripts/bench/cpu-profile.ts DIR/CPU.....cpuprofile [--calls N] [--last 0.6]
//
// --last F keeps the last fraction F of the samples (drops start-up); --calls N divides by the
// requests served in that window to give milliseconds per request. A sample counts for the first
// category (in the order below) that any frame of its stack matches, so "middleware" includes the
// crypto the middleware awaits on, and "app code" what our bundled modules do themselves.
import { readFileSync } from "node:fs";

type Frame = { functionName: string; url: string };
type Node = { id: number; callFrame: Frame; children?: number[] };
export type Profile = {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  /** Microseconds on the monotonic clock (process.hrtime's clock, shared by all processes). */
  startTime: number;
};

const CATEGORIES: [string, RegExp][] = [
  ["idle", /^\(idle\)@/],
  ["garbage collector", /^\(garbage collector\)@/],
  ["middleware (edge sandbox)", /\/server\/edge\/|\/sandbox\//],
  ["Prisma client", /@prisma\/client|query_compiler|adapter-pg/],
  ["pg driver", /node_modules\/pg(-protocol)?\//],
  ["WebCrypto (JWT, digests)", /internal\/crypto\//],
  ["compression (zlib)", /zlib/],
  [
    "email rendering (react-email, html-to-text)",
    /@react-email|html-to-text|htmlparser2|html5parser/,
  ],
  ["React/Next rendering", /react-server-dom|app-page.*runtime|react-dom/],
  ["Next server", /next\/dist\//],
  ["app code (bundled)", /\.next\/server\/chunks\//],
  ["module loading", /internal\/modules\/|tsx\//],
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Main-thread milliseconds per category, over the samples taken within `window` (monotonic
 * microseconds, e.g. process.hrtime.bigint() / 1000n taken by the load generator), or over the
 * last fraction `last` of them.
 */
export function summariseProfile(
  profile: Profile,
  options: { last?: number; window?: [number, number] } = {},
): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = Math.floor(profile.samples.length * (1 - (options.last ?? 1)));
  const selfTime = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    if (i < from) continue;
    if (options.window && (at < options.window[0] || at > options.window[1])) continue;
    const id = profile.samples[i]!;
    selfTime.set(id, (selfTime.get(id) ?? 0) + profile.timeDeltas[i]!);
  }
  const totals = new Map<string, number>();
  for (const [id, micros] of selfTime) {
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      stack.push(`${f.functionName}@${f.url}`);
    }
    const category =
      CATEGORIES.find(([, re]) => stack.some((frame) => re.test(frame)))?.[0] ?? "other";
    totals.set(category, (totals.get(category) ?? 0) + micros / 1000);
  }
  return totals;
}

/** Lines of a summary, largest first, per request when `calls` is known. */
export function formatSummary(totals: Map<string, number>, calls = 0): string[] {
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const lines = [`window: ${(all / 1000).toFixed(1)} s of main-thread time`];
  for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1])) {
    const perCall = calls > 0 ? `${(ms / calls).toFixed(2).padStart(7)} ms/request  ` : "";
    lines.push(`${perCall}${((100 * ms) / all).toFixed(1).padStart(5)} %  ${name}`);
  }
  return lines;
}

if (process.argv[1]?.endsWith("cpu-profile.ts")) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: cpu-profile.ts FILE.cpuprofile [--calls N] [--last F]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const totals = summariseProfile(profile, { last: Number(arg("last") ?? 1) });
  for (const line of formatSummary(totals, Number(arg("calls") ?? 0))) console.log(line);
}
