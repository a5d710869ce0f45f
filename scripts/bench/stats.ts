// Percentiles (nearest rank) and a timing loop shared by the database and HTTP measurements.

export type Summary = {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
};

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    runs: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    min: round(sorted[0] ?? 0),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length)),
  };
}

/** Runs fn `warmup` times untimed, then `runs` times; returns the wall times in ms. */
export async function timeRuns(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 10,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

export type Phase = {
  latency: Summary;
  requests: number;
  errors: number;
  perSecond: number;
  sampleErrors: string[];
};

/** `concurrency` workers call `op` for `seconds`; every failure is counted, none is retried. */
export async function load(
  op: (n: number) => Promise<void>,
  concurrency: number,
  seconds: number,
): Promise<Phase> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await op(n++);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    latency: summarize(latencies),
    requests: latencies.length + errors.length,
    errors: errors.length,
    perSecond: +(latencies.length / elapsed).toFixed(1),
    sampleErrors: [...new Set(errors)].slice(0, 3),
  };
}
