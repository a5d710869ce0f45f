// `npm run bench -- --markdown` (issue 10 §1): what showing user-written Markdown costs.
//
// Part 1, parsers: each candidate renders the adversarial corpus (tests/security/markdown-corpus.ts,
// every source at most 20,000 characters) in this process; per-render wall time, p99 over all
// (case, run) samples. Candidates: the old pipeline (react-markdown 10.1 + remark-gfm, rendered
// to a string as the page did on every view), micromark + GFM (the parser under remark),
// marked, markdown-it, and Tessera's renderMarkdown (markdown-it + limits + sanitize-html).
// The old pipeline and micromark take seconds to minutes per adversarial input: each of their
// cases runs in a worker thread, once (--old-runs N), given up after --slow-timeout ms (default
// 20,000; recorded as a timeout); a RangeError is recorded, not fatal.
//
// Part 2, the page: a ticket with 50 worst-case comments in a PostgreSQL database
// (BENCH_MARKDOWN_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/tessera_bench_markdown,
// recreated), written through the real services (so the HTML is rendered at write time), then
// the page's data path timed: getTicket (the query the page runs) + React server rendering of
// the description and the Timeline. Optionally --url BASE: the running app's page over HTTP,
// signed in as the requester (see measurePageHttp).
//
//   --runs N        timed runs per case for the fast candidates (default 20)
//   --generated     also time the 1,064 generated cases (pairs and random units; slow)
//   --no-page       skip part 2;   --page-only   skip part 1;   --skip-slow   only the fast candidates
//   --old-runs N, --slow-timeout MS   runs and time limit per case of the slow candidates
//   --out FILE      results JSON (default .data/bench/markdown.json)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { cpus, loadavg, totalmem } from "node:os";
import { Worker } from "node:worker_threads";
import { CANDIDATES, type Candidate } from "./markdown-candidates";
import {
  generatedCases,
  namedCases,
  type MarkdownCase,
} from "../../tests/security/markdown-corpus";
import { summarize, type Summary } from "./stats";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);
const log = (line: string) => console.log(`[bench:markdown] ${line}`);

type CaseResult = { case: string; p50: number; max: number; error?: string };
type CandidateResult = {
  candidate: string;
  runsPerCase: number;
  all: Summary;
  errors: number;
  worst: CaseResult[];
  cases: CaseResult[];
};

/**
 * One case of a slow candidate in a worker thread, given up after timeoutMs (the old pipeline
 * takes minutes on some inputs: 714 s for "- " x9999 on a busy machine before it threw).
 */
function timeInWorker(
  candidate: Candidate,
  source: string,
  runs: number,
  timeoutMs: number,
): Promise<{ times: number[]; error?: string }> {
  return new Promise((resolvePromise) => {
    // Workers do not inherit tsx's loader: register it in the worker, then load the script.
    const file = new URL("./markdown-worker.ts", import.meta.url).href;
    const code = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`;
    const worker = new Worker(code, {
      eval: true,
      workerData: { candidate: candidate.name, source, runs },
    });
    // The time limit starts when the worker has loaded and warmed up (startup is slow on a
    // busy machine and is not the candidate's cost); startup itself gets a minute.
    let timedFrom = performance.now();
    const giveUp = (limit: number, what: string) =>
      setTimeout(() => {
        void worker.terminate();
        resolvePromise({
          times: [performance.now() - timedFrom],
          error: `timed out: ${what} after ${limit} ms (terminated)`,
        });
      }, limit);
    let timer = giveUp(60_000, "worker start-up");
    worker.on("message", (m: { ready?: boolean; times: number[]; error?: string }) => {
      clearTimeout(timer);
      if (m.ready) {
        timedFrom = performance.now();
        timer = giveUp(timeoutMs, "still running");
        return;
      }
      void worker.terminate();
      resolvePromise(m);
    });
    worker.once("error", (e) => {
      clearTimeout(timer);
      resolvePromise({ times: [performance.now() - timedFrom], error: `worker: ${e.message}` });
    });
  });
}

async function timeSlowCandidate(
  candidate: Candidate,
  cases: MarkdownCase[],
  runs: number,
  timeoutMs: number,
): Promise<CandidateResult> {
  const samples: number[] = [];
  const results: CaseResult[] = [];
  let errors = 0;
  for (const c of cases) {
    const { times, error } = await timeInWorker(candidate, c.source, runs, timeoutMs);
    if (error) errors++;
    samples.push(...times);
    const s = summarize(times);
    results.push({ case: c.name, p50: s.p50, max: s.max, ...(error ? { error } : {}) });
    log(`  ${candidate.name} / ${c.name}: ${s.max.toFixed(0)} ms${error ? ` (${error})` : ""}`);
  }
  const all = summarize(samples);
  const worst = [...results].sort((a, b) => b.max - a.max).slice(0, 5);
  return { candidate: candidate.name, runsPerCase: runs, all, errors, worst, cases: results };
}

/** Times one candidate over the cases; a throw is recorded (with the time it took) per case. */
function timeCandidate(candidate: Candidate, cases: MarkdownCase[], runs: number): CandidateResult {
  const samples: number[] = [];
  const results: CaseResult[] = [];
  let errors = 0;
  for (const c of cases) {
    const times: number[] = [];
    let error: string | undefined;
    // One untimed warm-up run for the fast ones (JIT); the slow ones would double the wait.
    if (!candidate.slow) {
      try {
        candidate.render(c.source);
      } catch {
        /* timed below */
      }
    }
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      try {
        candidate.render(c.source);
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 120) : String(e);
      }
      times.push(performance.now() - started);
      if (error) break;
    }
    if (error) errors++;
    samples.push(...times);
    const s = summarize(times);
    results.push({ case: c.name, p50: s.p50, max: s.max, ...(error ? { error } : {}) });
  }
  const all = summarize(samples);
  const worst = [...results].sort((a, b) => b.max - a.max).slice(0, 5);
  return { candidate: candidate.name, runsPerCase: runs, all, errors, worst, cases: results };
}

export async function benchMarkdown(): Promise<void> {
  const runs = Number(flag("runs") ?? 20);
  const oldRuns = Number(flag("old-runs") ?? 1);
  const slowTimeout = Number(flag("slow-timeout") ?? 20_000);
  const out = resolve(flag("out") ?? ".data/bench/markdown.json");
  const load: Record<string, number[]> = {};
  const mark = (phase: string) => (load[phase] = loadavg().map((v) => +v.toFixed(2)));
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
    node: process.version,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
    },
    loadAverage: load,
  };
  const cases = namedCases();
  const generated = has("generated") ? generatedCases() : [];
  log(`${cases.length} named cases${generated.length ? ` + ${generated.length} generated` : ""}`);
  mark("start");
  const parsers: CandidateResult[] = [];
  const chosen = has("page-only") ? [] : CANDIDATES.filter((c) => !(has("skip-slow") && c.slow));
  for (const candidate of chosen) {
    const r = candidate.slow
      ? await timeSlowCandidate(candidate, cases, oldRuns, slowTimeout)
      : timeCandidate(candidate, cases, runs);
    parsers.push(r);
    log(
      `${candidate.name}: p50 ${r.all.p50} ms, p99 ${r.all.p99} ms, max ${r.all.max} ms, ` +
        `${r.errors} threw; worst: ${r.worst
          .map((w) => `${w.case} ${w.max} ms${w.error ? ` (${w.error})` : ""}`)
          .join("; ")}`,
    );
    mark(`after ${candidate.name}`);
  }
  results.parsers = parsers;
  if (generated.length) {
    const fast = CANDIDATES.filter((c) => !c.slow);
    results.generated = fast.map((candidate) => {
      const r = timeCandidate(candidate, generated, 1);
      log(
        `generated, ${candidate.name}: p99 ${r.all.p99} ms, max ${r.all.max} ms, ${r.errors} threw`,
      );
      return { ...r, cases: undefined };
    });
    mark("after generated");
  }
  if (!has("no-page")) {
    const { measurePage } = await import("./markdown-page");
    results.page = await measurePage({ runs, log, url: flag("url") });
    mark("after page");
  }
  results.finishedAt = new Date().toISOString();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`load average ${JSON.stringify(load)}`);
  log(`results written to ${out}`);
}
