// Preloaded into the app by `npm run bench -- --attachments --memory-sizes …` (node --import):
// samples the app's own memory every BENCH_MEMORY_PROBE_MS (default 20) ms — RSS, V8's heap (total,
// used, and the committed size of its young generation, "new space"), memory outside the heap
// held by JS objects (external) and of it ArrayBuffers/Buffers — and appends one line per sample
// to BENCH_MEMORY_PROBE_FILE: "<monotonic µs> <rss> <heapTotal> <heapUsed> <newSpace> <external>
// <arrayBuffers>" in bytes. SIGUSR2 runs a full GC first (the app runs with --expose-gc), so each
// measurement starts from the same floor. A bench tool only: the app never loads it otherwise.
import { openSync, writeSync } from "node:fs";
import v8 from "node:v8";

const file = process.env.BENCH_MEMORY_PROBE_FILE;
if (file) {
  const fd = openSync(file, "a");
  const every = Number(process.env.BENCH_MEMORY_PROBE_MS || 20);
  const sample = () => {
    const m = process.memoryUsage();
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    const t = process.hrtime.bigint() / 1000n;
    writeSync(
      fd,
      `${t} ${m.rss} ${m.heapTotal} ${m.heapUsed} ${young ? young.space_size : 0} ${m.external} ${m.arrayBuffers}\n`,
    );
  };
  setInterval(sample, every).unref();
  process.on("SIGUSR2", () => {
    if (typeof globalThis.gc === "function") globalThis.gc();
    sample();
  });
}
