// `npm run bench -- --attachments`: uploads and downloads of attachments (issue 13, ADR 021)
// against the production build (`next build` of a private copy served by scripts/server.ts, as
// `npm start` serves it), on its own database and local storage in a temp folder:
//   1. one 25 MiB file (a gzip, level 0, of random bytes: the type is decided from the bytes and
//      random bytes are refused), uploaded and then downloaded --runs times (after one warm-up);
//      median time and MiB/s, and whether the stored file is the one sent (sha256 of the download);
//   2. --photos (100) JPEG photos of ~2 MiB (12 MP, smooth noise, made with sharp) uploaded all
//      at once: wall time, uploads/s, p50/p95, errors; then the same number of concurrent
//      downloads and thumbnails; before that, 10 uploads one at a time (one photo's cost alone);
//   3. the app's memory (VmRSS of the server process and its children, sampled every 50 ms by a
//      worker thread) from 1 s before to 1 s after one 25 MiB upload, and one ~23 MiB 35 MP JPEG;
//      baseline (median before), peak and peak minus baseline. Also during the photo burst.
// CPU per phase: the app by thread (event loop, libuv workers where sharp runs, libvips, V8) and
// PostgreSQL, from /proc. Every upload is acknowledged (201) or counted as an error, none retried.
//
// Part 1 checks that what is stored is what was sent: Next cuts the body of a request the
// middleware sees at 10 MiB (proxyClientMaxBodySize), which is why the upload route is outside
// the middleware's matcher (middleware.ts).
//
// Each of the 100 photo uploads is by its own requester (USER accounts: no MFA), and each upload
// is downloaded by its uploader (an unclaimed upload is visible to nobody else). The app runs with
// RATE_LIMIT_UPLOADS_PER_HOUR=1000000: the per-user hourly cap (120) is not what is measured.
//
//   ATTACHMENTS_BENCH_DATABASE_URL  default postgresql://postgres@127.0.0.1:5432/tessera_bench_attachments
//   --runs N (default 5)  --photos N (default 100)  --app-dir DIR (default /tmp/g-app-attachments)
//   --no-build  --skip-typecheck  --no-big-image (skip the 35 MP JPEG)
//   --cpu-prof  the app under V8's profiler: main-thread time per phase (scripts/bench/cpu-profile.ts)
//   --memory-sizes 1,5,25,100  instead of 1-3: only the app's memory during single uploads of
//               these sizes (MiB; the limit raised for the run), --memory-rounds N (default 3)
//               rounds, sampled from inside the app (scripts/bench/attachments-memory.ts)
//   --out FILE (default .data/bench/results-attachments.json)
import type { ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import pg from "pg";
import sharp from "sharp";
import { formatSummary, summariseProfile, type Profile } from "./cpu-profile";
import { recreateDatabase } from "./db";
import { cookieFor } from "../lib/app-client";
import { prepareApp } from "./measure-http";
import { cpuDelta, cpuSeconds, postgresPids, rssMiB, startServer, stop } from "./processes";
import { summarize, type Summary } from "./stats";
import {
  measureUpload,
  rssSlope,
  summariseBySize,
  type SizedMeasurement,
} from "./attachments-memory";

const SECRET = "bench-attachments-secret-0123456789-abcdefghijkl";
const MiB = 1024 * 1024;
/** The app's default per-file limit (TESSERA_ATTACHMENT_MAX_MB = 25). */
const MAX_FILE_BYTES = 25 * MiB;
const UPLOADS_PER_HOUR = "1000000";
const log = (line: string) => console.log(`[bench:attachments] ${line}`);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);
const round = (v: number, digits = 1) => +v.toFixed(digits);
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

// --- the app process, from /proc -------------------------------------------------------------

/** The process and its descendants (the app may spawn helpers; today it does not). */
function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${all[i]}/task`)) {
        const children = readFileSync(`/proc/${all[i]}/task/${tid}/children`, "utf8").trim();
        if (children) all.push(...children.split(" ").map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

/** CPU seconds of one process by thread, grouped by thread name (trailing digits dropped). */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Node names its other threads "node" (libuv's pool, V8's GC and compiler threads);
      // sharp's image work runs in threads libvips names "libvips worker".
      const name =
        tid === String(pid)
          ? "main thread (event loop)"
          : comm === "node"
            ? "other Node threads (libuv pool, V8)"
            : comm.replace(/[\d_-]+$/, "").trim();
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}

type CpuMark = { app: Map<number, number>; threads: Map<string, number>; db: Map<number, number> };
type CpuUse = { appSeconds: number; postgresSeconds: number; appByThread: Record<string, number> };

function cpuMark(pid: number): CpuMark {
  return {
    app: cpuSeconds(processTree(pid)),
    threads: threadCpu(pid),
    db: cpuSeconds(postgresPids()),
  };
}

function cpuSince(pid: number, before: CpuMark): CpuUse {
  const after = cpuMark(pid);
  const appByThread: Record<string, number> = {};
  for (const [name, s] of [...after.threads].sort((a, b) => b[1] - a[1])) {
    const used = s - (before.threads.get(name) ?? 0);
    if (used >= 0.01) appByThread[name] = round(used, 2);
  }
  return {
    appSeconds: round(cpuDelta(before.app, after.app), 2),
    postgresSeconds: round(cpuDelta(before.db, after.db), 2),
    appByThread,
  };
}

/**
 * Samples the RSS of a process tree every `ms` in a worker thread, so the samples keep their
 * pace while this thread is busy sending or receiving.
 */
function startRssSampler(pid: number, ms = 50) {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { readFileSync, readdirSync } = require("node:fs");
    const tree = (pid) => {
      const all = [pid];
      for (let i = 0; i < all.length; i++) {
        try {
          for (const tid of readdirSync("/proc/" + all[i] + "/task")) {
            const c = readFileSync("/proc/" + all[i] + "/task/" + tid + "/children", "utf8").trim();
            if (c) all.push(...c.split(" ").map(Number));
          }
        } catch {}
      }
      return all;
    };
    const rss = (pid) => {
      try {
        const m = /VmRSS:\\s+(\\d+) kB/.exec(readFileSync("/proc/" + pid + "/status", "utf8"));
        return m ? Number(m[1]) : 0;
      } catch { return 0; }
    };
    const samples = [];
    const flag = new Int32Array(workerData.stop);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (Atomics.load(flag, 0) === 0) {
      const kb = tree(workerData.pid).reduce((s, p) => s + rss(p), 0);
      samples.push([Number(process.hrtime.bigint() / 1000n), kb]);
      Atomics.wait(sleeper, 0, 0, workerData.ms);
    }
    parentPort.postMessage(samples);
  `;
  const stopFlag = new SharedArrayBuffer(4);
  const worker = new Worker(code, { eval: true, workerData: { pid, ms, stop: stopFlag } });
  const done = new Promise<[number, number][]>((res, rej) => {
    worker.once("message", res);
    worker.once("error", rej);
  });
  return async () => {
    Atomics.store(new Int32Array(stopFlag), 0, 1);
    const samples = await done;
    await worker.terminate();
    return samples.map(([t, kb]) => ({ t, mib: kb / 1024 }));
  };
}

type Memory = {
  samples: number;
  intervalMs: number;
  baselineMiB: number;
  peakMiB: number;
  growthMiB: number;
  afterMiB: number;
  /** Peak of the samples taken while the request was in flight, ms after it started. */
  peakAtMs: number;
  requestMs: number;
};

/** RSS from 1 s before `op` to 1 s after it; baseline = median of the samples before. */
async function memoryDuring(pid: number, op: () => Promise<unknown>): Promise<Memory> {
  const stopSampling = startRssSampler(pid, 50);
  await new Promise((r) => setTimeout(r, 1000));
  const from = monotonicMicros();
  await op();
  const to = monotonicMicros();
  await new Promise((r) => setTimeout(r, 1000));
  const samples = await stopSampling();
  const before = samples.filter((s) => s.t < from).map((s) => s.mib);
  const during = samples.filter((s) => s.t >= from);
  if (before.length === 0 || during.length === 0)
    throw new Error("the RSS sampler took no samples");
  const baseline = median(before);
  const peak = during.reduce((best, s) => (s.mib > best.mib ? s : best), during[0]!);
  return {
    samples: samples.length,
    intervalMs: 50,
    baselineMiB: round(baseline),
    peakMiB: round(peak.mib),
    growthMiB: round(peak.mib - baseline),
    afterMiB: round(samples[samples.length - 1]!.mib),
    peakAtMs: Math.round((peak.t - from) / 1000),
    requestMs: Math.round((to - from) / 1000),
  };
}

// --- test files -----------------------------------------------------------------------------

/** A gzip (level 0: stored blocks) of random bytes, just under the 25 MiB limit. */
function bigGzip(): Buffer {
  const file = gzipSync(randomBytes(MAX_FILE_BYTES - 16 * 1024), { level: 0 });
  if (file.length > MAX_FILE_BYTES) throw new Error(`the gzip is ${file.length} bytes`);
  return file;
}

/** A photo-like JPEG: gaussian noise at 1/`scale` of the size, enlarged (smooth), re-encoded. */
async function noiseJpeg(
  width: number,
  height: number,
  scale: number,
  sigma: number,
  quality: number,
): Promise<Buffer> {
  const w = Math.round(width / scale);
  const h = Math.round(height / scale);
  const noise = await sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
      noise: { type: "gaussian", mean: 128, sigma },
    },
  })
    .raw()
    .toBuffer();
  return sharp(noise, { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { kernel: "cubic" })
    .jpeg({ quality })
    .toBuffer();
}

// --- HTTP -----------------------------------------------------------------------------------

type Uploaded = {
  ms: number;
  info: { id: string; name: string; size: number; contentType: string; image: boolean };
};

async function upload(base: string, cookie: string, name: string, body: Buffer): Promise<Uploaded> {
  const started = performance.now();
  const res = await fetch(`${base}/api/attachments`, {
    method: "POST",
    headers: {
      cookie,
      origin: base,
      "x-tessera-filename": encodeURIComponent(name),
      "content-type": "application/octet-stream",
    },
    // The Buffer's own memory, not a copy (a Buffer is not a BodyInit in the DOM typings).
    body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${text.slice(0, 200)}`);
  return { ms, info: JSON.parse(text) as Uploaded["info"] };
}

type Downloaded = { ms: number; bytes: number; sha256: string; contentType: string };

/** GET to the last byte (timed), then the hash of what arrived (not timed). */
async function download(base: string, cookie: string, path: string): Promise<Downloaded> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
  if (res.status !== 200 || !res.body) {
    throw new Error(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = res.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks.push(r.value);
    bytes += r.value.length;
  }
  const ms = performance.now() - started;
  const hash = createHash("sha256");
  for (const c of chunks) hash.update(c);
  return { ms, bytes, sha256: hash.digest("hex"), contentType: res.headers.get("content-type")! };
}

type Burst = {
  count: number;
  ok: number;
  errors: number;
  sampleErrors: string[];
  wallSeconds: number;
  perSecond: number;
  mibPerSecond: number;
  latency: Summary;
};

/** `count` operations started at once; every failure counted, none retried. */
async function burst(count: number, op: (i: number) => Promise<number>): Promise<Burst> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const t = performance.now();
      try {
        bytes += await op(i);
        latencies.push(performance.now() - t);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  return {
    count,
    ok: latencies.length,
    errors: errors.length,
    sampleErrors: [...new Set(errors)].slice(0, 3),
    wallSeconds: round(wall, 2),
    perSecond: round(latencies.length / wall),
    mibPerSecond: round(bytes / MiB / wall),
    latency: summarize(latencies),
  };
}

// --- one configuration ------------------------------------------------------------------------

type Files = { gzip: Buffer; photos: Buffer[]; bigJpeg: Buffer | null };
type Windows = Record<string, [number, number]>;

async function runConfig(options: {
  name: string;
  appDir: string;
  url: string;
  cookies: string[];
  files: Files;
  runs: number;
  photos: number;
  withPhotos: boolean;
  cpuProf?: string;
  storageDir: string;
}) {
  const { appDir, url, cookies, files, runs } = options;
  const port = 3990 + (process.pid % 9);
  const base = `http://127.0.0.1:${port}`;
  log(`[${options.name}] starting the app (scripts/server.ts, production build)`);
  const app: ChildProcess = await startServer({
    appDir,
    url,
    port,
    secret: SECRET,
    cpuProf: options.cpuProf,
    env: {
      RATE_LIMIT_UPLOADS_PER_HOUR: UPLOADS_PER_HOUR,
      TESSERA_STORAGE: "local",
      TESSERA_ATTACHMENT_DIR: join(options.storageDir, "store"),
      TESSERA_UPLOAD_TMP_DIR: join(options.storageDir, "tmp"),
    },
  });
  const pid = app.pid!;
  const windows: Windows = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const from = monotonicMicros();
    try {
      return await fn();
    } finally {
      windows[name] = [from, monotonicMicros()];
    }
  };
  const result: Record<string, unknown> = { loadAverage: {} as Record<string, number[]> };
  const load = (phase: string) =>
    ((result.loadAverage as Record<string, number[]>)[phase] = loadavg().map((v) => round(v, 2)));
  const me = cookies[0]!;
  try {
    // Warm-up: the routes, Prisma, sharp and the store loaded before anything is measured.
    const smallGzip = gzipSync(randomBytes(100 * 1024), { level: 0 });
    const smallJpeg = await noiseJpeg(800, 600, 4, 60, 85);
    for (let i = 0; i < 3; i++) {
      const z = await upload(base, me, "warm.gz", smallGzip);
      await download(base, me, `/api/attachments/${z.info.id}?download=1`);
      const j = await upload(base, me, "warm.jpg", smallJpeg);
      await download(base, me, `/api/attachments/${j.info.id}`);
      await download(base, me, `/api/attachments/${j.info.id}/thumbnail`);
    }
    result.appRssAfterWarmUpMiB = round(rssMiB(pid));
    load("afterWarmUp");

    // 3. Memory during one 25 MiB upload (and one large JPEG), on an app that has not seen one.
    let memoryUpload: Uploaded | Error | undefined;
    const memory: Record<string, unknown> = {};
    let mark = cpuMark(pid);
    memory.gzip25 = await timed("memory gzip", () =>
      memoryDuring(pid, async () => {
        memoryUpload = await upload(base, me, "memory.gz", files.gzip).catch((e: Error) => e);
      }),
    );
    memory.gzip25Cpu = cpuSince(pid, mark);
    memory.gzip25Outcome =
      memoryUpload instanceof Error
        ? { error: memoryUpload.message }
        : { acknowledged: memoryUpload?.info };
    log(
      `[${options.name}] memory, 25 MiB gzip: ${JSON.stringify(memory.gzip25)} ${JSON.stringify(memory.gzip25Outcome)}`,
    );
    if (files.bigJpeg) {
      let big: Uploaded | Error | undefined;
      mark = cpuMark(pid);
      memory.bigJpeg = await timed("memory big JPEG", () =>
        memoryDuring(pid, async () => {
          big = await upload(base, me, "big.jpg", files.bigJpeg!).catch((e: Error) => e);
        }),
      );
      memory.bigJpegCpu = cpuSince(pid, mark);
      memory.bigJpegOutcome =
        big instanceof Error ? { error: big.message } : { acknowledged: big?.info };
      log(
        `[${options.name}] memory, ${(files.bigJpeg.length / MiB).toFixed(1)} MiB JPEG: ${JSON.stringify(memory.bigJpeg)} ${JSON.stringify(memory.bigJpegOutcome)}`,
      );
    }
    result.memory = memory;
    load("afterMemory");

    // 1. One 25 MiB file: upload, then download, --runs times after one warm-up.
    const single = { uploadMs: [] as number[], downloadMs: [] as number[], runs: [] as unknown[] };
    const sent = sha256(files.gzip);
    mark = cpuMark(pid);
    await timed("25 MiB upload+download", async () => {
      for (let i = 0; i <= runs; i++) {
        const up = await upload(base, me, `big-${i}.gz`, files.gzip);
        const down = await download(base, me, `/api/attachments/${up.info.id}?download=1`);
        const run = {
          uploadMs: round(up.ms),
          downloadMs: round(down.ms),
          sentBytes: files.gzip.length,
          acknowledgedBytes: up.info.size,
          downloadedBytes: down.bytes,
          intact: down.sha256 === sent,
        };
        if (i === 0) continue; // warm-up
        single.uploadMs.push(up.ms);
        single.downloadMs.push(down.ms);
        single.runs.push(run);
      }
    });
    const singleCpu = cpuSince(pid, mark);
    const runsDone = single.runs as {
      acknowledgedBytes: number;
      downloadedBytes: number;
      intact: boolean;
    }[];
    const up = median(single.uploadMs);
    const down = median(single.downloadMs);
    const single25 = {
      runs,
      bytes: files.gzip.length,
      uploadMedianMs: round(up),
      uploadMiBps: round(files.gzip.length / MiB / (up / 1000)),
      downloadMedianMs: round(down),
      // Over what arrived: when the stored file is shorter, its length, not the one sent.
      downloadMiBps: round(median(runsDone.map((r) => r.downloadedBytes)) / MiB / (down / 1000)),
      intact: runsDone.every((r) => r.intact),
      acknowledgedBytes: [...new Set(runsDone.map((r) => r.acknowledgedBytes))],
      appCpuSecondsPerUploadAndDownload: round(singleCpu.appSeconds / (runs + 1), 2),
      cpu: singleCpu,
      perRun: single.runs,
    };
    result.single25 = single25;
    log(
      `[${options.name}] 25 MiB: ${JSON.stringify({ ...single25, perRun: undefined, cpu: undefined })}`,
    );
    load("afterSingle");

    if (options.withPhotos) {
      // 2a. One photo at a time: what one costs without contention.
      const photo = (i: number) => files.photos[i % files.photos.length]!;
      const serial: number[] = [];
      mark = cpuMark(pid);
      await timed("photos one at a time", async () => {
        for (let i = 0; i < 10; i++)
          serial.push((await upload(base, me, `serial-${i}.jpg`, photo(i))).ms);
      });
      const serialCpu = cpuSince(pid, mark);
      result.photoSerial = {
        uploads: 10,
        latency: summarize(serial),
        appCpuSecondsPerUpload: round(serialCpu.appSeconds / 10, 3),
        cpu: serialCpu,
      };
      log(`[${options.name}] one photo at a time: ${JSON.stringify(result.photoSerial)}`);

      // 2b. --photos concurrent uploads, each by its own requester.
      const ids: (string | undefined)[] = [];
      let uploadBurst: Burst | undefined;
      mark = cpuMark(pid);
      const burstMemory = await timed("photo uploads, concurrent", () =>
        memoryDuring(pid, async () => {
          uploadBurst = await burst(options.photos, async (i) => {
            const body = photo(i);
            const r = await upload(base, cookies[i % cookies.length]!, `photo-${i}.jpg`, body);
            if (r.info.contentType !== "image/jpeg" || !r.info.image)
              throw new Error(`photo ${i}: ${JSON.stringify(r.info)}`);
            ids[i] = r.info.id;
            return body.length;
          });
        }),
      );
      const uploadCpu = cpuSince(pid, mark);
      log(
        `[${options.name}] ${options.photos} concurrent photo uploads: ${uploadBurst!.wallSeconds} s, ${uploadBurst!.perSecond}/s, p50 ${uploadBurst!.latency.p50} p95 ${uploadBurst!.latency.p95} ms, ${uploadBurst!.errors} errors; RSS +${burstMemory.growthMiB} MiB; CPU ${JSON.stringify(uploadCpu)}`,
      );
      load("afterPhotoUploads");
      const owner = (i: number) => cookies[i % cookies.length]!;
      mark = cpuMark(pid);
      const downloads = await timed("photo downloads, concurrent", () =>
        burst(options.photos, async (i) => {
          if (!ids[i]) throw new Error(`photo ${i} was not uploaded`);
          const d = await download(base, owner(i), `/api/attachments/${ids[i]}`);
          if (d.contentType !== "image/jpeg") throw new Error(`photo ${i}: ${d.contentType}`);
          return d.bytes;
        }),
      );
      const downloadCpu = cpuSince(pid, mark);
      log(
        `[${options.name}] ${options.photos} concurrent photo downloads: ${downloads.wallSeconds} s, ${downloads.perSecond}/s, p50 ${downloads.latency.p50} p95 ${downloads.latency.p95} ms, ${downloads.errors} errors`,
      );
      mark = cpuMark(pid);
      const thumbnails = await timed("thumbnails, concurrent", () =>
        burst(options.photos, async (i) => {
          if (!ids[i]) throw new Error(`photo ${i} was not uploaded`);
          const d = await download(base, owner(i), `/api/attachments/${ids[i]}/thumbnail`);
          if (d.contentType !== "image/webp") throw new Error(`thumbnail ${i}: ${d.contentType}`);
          return d.bytes;
        }),
      );
      const thumbnailCpu = cpuSince(pid, mark);
      log(
        `[${options.name}] ${options.photos} concurrent thumbnails: ${thumbnails.wallSeconds} s, p95 ${thumbnails.latency.p95} ms, ${thumbnails.errors} errors`,
      );
      result.photos = {
        count: options.photos,
        distinctFiles: files.photos.length,
        meanBytes: Math.round(files.photos.reduce((s, p) => s + p.length, 0) / files.photos.length),
        uploads: { ...uploadBurst!, memory: burstMemory, cpu: uploadCpu },
        downloads: { ...downloads, cpu: downloadCpu },
        thumbnails: { ...thumbnails, cpu: thumbnailCpu },
      };
      load("afterPhotos");
    }
  } finally {
    await stop(app);
  }
  if (options.cpuProf) {
    // The main thread only: sharp's and libvips' threads are not in a V8 profile.
    const profiles = readdirSync(options.cpuProf).map((f) => join(options.cpuProf!, f));
    const main = profiles.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (main) {
      const profile = JSON.parse(readFileSync(main, "utf8")) as Profile;
      const byPhase: Record<string, string[]> = {};
      for (const [phase, window] of Object.entries(windows)) {
        byPhase[phase] = formatSummary(summariseProfile(profile, { window }));
        log(`[${options.name}] main thread, ${phase}:`);
        for (const line of byPhase[phase]!) log(`    ${line}`);
      }
      result.mainThreadProfile = byPhase;
    }
  }
  return result;
}

// --- memory by file size (--memory-sizes) ---------------------------------------------------------

/** A gzip (level 0) of random bytes of about `mib` MiB: accepted as an archive, incompressible. */
function gzipOf(mib: number): Buffer {
  return gzipSync(randomBytes(Math.round(mib * MiB) - 16 * 1024), { level: 0 });
}

async function runMemoryBySize(options: {
  appDir: string;
  url: string;
  cookie: string;
  sizes: number[];
  rounds: number;
  storageDir: string;
}) {
  const port = 3990 + (process.pid % 9);
  const base = `http://127.0.0.1:${port}`;
  const probeFile = join(options.storageDir, "memory-probe.txt");
  const maxMb = String(Math.ceil(Math.max(...options.sizes)) + 1);
  log(`[memory] starting the app with TESSERA_ATTACHMENT_MAX_MB=${maxMb} and the memory probe`);
  const app = await startServer({
    appDir: options.appDir,
    url: options.url,
    port,
    secret: SECRET,
    nodeArgs: ["--expose-gc", "--import", resolve(import.meta.dirname, "memory-probe.mjs")],
    env: {
      RATE_LIMIT_UPLOADS_PER_HOUR: UPLOADS_PER_HOUR,
      TESSERA_STORAGE: "local",
      TESSERA_ATTACHMENT_DIR: join(options.storageDir, "store"),
      TESSERA_UPLOAD_TMP_DIR: join(options.storageDir, "tmp"),
      TESSERA_ATTACHMENT_MAX_MB: maxMb,
      BENCH_MEMORY_PROBE_FILE: probeFile,
    },
  });
  const pid = app.pid!;
  const files = new Map(options.sizes.map((mib) => [mib, gzipOf(mib)]));
  const all: SizedMeasurement[] = [];
  try {
    // Warm-up: the route, Prisma and the store loaded before anything is measured.
    const small = gzipOf(0.1);
    for (let i = 0; i < 5; i++) await upload(base, options.cookie, "warm.gz", small);
    const afterWarmUp = round(rssMiB(pid));
    for (let r = 1; r <= options.rounds; r++) {
      for (const mib of options.sizes) {
        const body = files.get(mib)!;
        const m = await measureUpload({
          pid,
          probeFile,
          sizeMiB: mib,
          round: r,
          upload: async () => {
            const up = await upload(base, options.cookie, `m-${mib}-${r}.gz`, body);
            if (up.info.size !== body.length)
              throw new Error(`${mib} MiB: ${up.info.size} of ${body.length} B acknowledged`);
          },
        });
        all.push(m);
        log(
          `[memory] round ${r}, ${mib} MiB in ${m.requestMs} ms: growth ${JSON.stringify(m.growth)} MiB; RSS left +${m.rssLeftMiB}`,
        );
      }
    }
    return {
      maxFileMb: Number(maxMb),
      appRssAfterWarmUpMiB: afterWarmUp,
      bySize: summariseBySize(all),
      rssSlopeMiBPerMiB: rssSlope(all),
      measurements: all,
    };
  } finally {
    await stop(app);
  }
}

// --- the run ------------------------------------------------------------------------------------

function table(configs: Record<string, Record<string, unknown>>): string[] {
  const rows: [string, string][] = [];
  for (const [name, r] of Object.entries(configs)) {
    const s = r.single25 as Record<string, number | boolean | number[]>;
    rows.push([
      `[${name}] 25 MiB upload, median of ${s.runs as number}`,
      `${s.uploadMedianMs} ms = ${s.uploadMiBps} MiB/s`,
    ]);
    rows.push([
      `[${name}] 25 MiB download, median`,
      `${s.downloadMedianMs} ms = ${s.downloadMiBps} MiB/s`,
    ]);
    rows.push([
      `[${name}] stored = sent (sha256)`,
      `${s.intact} (acknowledged ${(s.acknowledgedBytes as number[]).join(", ")} of ${s.bytes} B)`,
    ]);
    const m = r.memory as Record<string, unknown>;
    for (const key of ["gzip25", "bigJpeg"] as const) {
      const mem = m[key] as Memory | undefined;
      const outcome = m[`${key}Outcome`] as
        { error: string } | { acknowledged?: { size: number } } | undefined;
      const what =
        outcome && "error" in outcome
          ? `refused: ${outcome.error.slice(0, 60)}`
          : `201, ${outcome?.acknowledged?.size ?? "?"} B stored`;
      if (mem)
        rows.push([
          `[${name}] RSS during one ${key === "gzip25" ? "25 MiB gzip" : "35 MP JPEG"} upload`,
          `baseline ${mem.baselineMiB}, peak ${mem.peakMiB}, growth ${mem.growthMiB} MiB (${what})`,
        ]);
    }
    const p = r.photos as
      | { count: number; uploads: Burst & { memory: Memory }; downloads: Burst; thumbnails: Burst }
      | undefined;
    if (p) {
      const b = (x: Burst) =>
        `${x.wallSeconds} s, ${x.perSecond}/s, p50 ${x.latency.p50} p95 ${x.latency.p95} ms, ${x.errors} errors`;
      rows.push([`[${name}] ${p.count} photo uploads at once`, b(p.uploads)]);
      rows.push([
        `[${name}] RSS during them`,
        `baseline ${p.uploads.memory.baselineMiB}, peak ${p.uploads.memory.peakMiB}, growth ${p.uploads.memory.growthMiB} MiB`,
      ]);
      rows.push([`[${name}] ${p.count} photo downloads at once`, b(p.downloads)]);
      rows.push([`[${name}] ${p.count} thumbnails at once`, b(p.thumbnails)]);
    }
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
}

export async function benchAttachments(): Promise<void> {
  const url =
    process.env.ATTACHMENTS_BENCH_DATABASE_URL ||
    "postgresql://postgres@127.0.0.1:5432/tessera_bench_attachments";
  const runs = Number(flag("runs") ?? 5);
  const photos = Number(flag("photos") ?? 100);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
  if (!Number.isInteger(photos) || photos < 1) throw new Error("--photos takes a positive integer");
  const appDir = resolve(flag("app-dir") ?? "/tmp/g-app-attachments");
  const out = resolve(flag("out") ?? ".data/bench/results-attachments.json");
  const startedAt = new Date().toISOString();

  await recreateDatabase(url, log);
  if (!has("no-build")) prepareApp(appDir, url, log);
  const memorySizes = flag("memory-sizes");
  if (memorySizes !== undefined) {
    await benchMemoryBySize({ url, appDir, out, startedAt, sizes: memorySizes });
    return;
  }

  log("making the test files (a 25 MiB gzip, 12 MP photos, a 35 MP JPEG)");
  const distinct = Math.min(photos, 10);
  const photoFiles: Buffer[] = [];
  for (let i = 0; i < distinct; i++) photoFiles.push(await noiseJpeg(4000, 3000, 10, 60, 85));
  const files: Files = {
    gzip: bigGzip(),
    photos: photoFiles,
    bigJpeg: has("no-big-image") ? null : await noiseJpeg(7000, 5000, 2, 70, 92),
  };
  if (files.bigJpeg && files.bigJpeg.length > MAX_FILE_BYTES) files.bigJpeg = null;

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const storageDir = mkdtempSync(join(tmpdir(), "bench-attachments-"));
  const configs: Record<string, Record<string, unknown>> = {};
  try {
    const users = Math.max(1, photos);
    await db.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt")
       SELECT 'bench-a-' || i, 'bench-a-' || i || '@example.test', 'Requester ' || i, '!',
              'USER'::"Role", now()
         FROM generate_series(1, $1::int) i`,
      [users],
    );
    const cookies: string[] = [];
    for (let i = 1; i <= users; i++) cookies.push(await cookieFor(db, `bench-a-${i}`, SECRET));
    const common = { appDir, url, cookies, files, runs, photos };
    configs.shipped = await runConfig({
      ...common,
      name: "shipped",
      withPhotos: true,
      storageDir: mkdtempSync(join(storageDir, "shipped-")),
      cpuProf: has("cpu-prof") ? mkdtempSync(join(tmpdir(), "bench-attach-prof-")) : undefined,
    });
  } finally {
    await db.end();
    rmSync(storageDir, { recursive: true, force: true });
  }

  const results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      ramGiB: round(totalmem() / 2 ** 30),
      node: process.version,
    },
    app: {
      server: "scripts/server.ts (production build of a private copy)",
      storage: "local, a temp folder on the same disk",
      env: { RATE_LIMIT_UPLOADS_PER_HOUR: UPLOADS_PER_HOUR },
    },
    files: {
      gzipBytes: files.gzip.length,
      photo: { width: 4000, height: 3000, distinct: files.photos.length },
      bigJpegBytes: files.bigJpeg?.length ?? null,
      bigJpeg: files.bigJpeg ? { width: 7000, height: 5000 } : null,
    },
    configs,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  for (const line of table(configs)) log(line);
  log(`results written to ${out}`);
  const shipped = configs.shipped?.single25 as { intact: boolean } | undefined;
  if (shipped && !shipped.intact)
    throw new Error(
      "a 25 MiB upload was acknowledged (201) but the stored file differs from the one sent",
    );
}

async function benchMemoryBySize(options: {
  url: string;
  appDir: string;
  out: string;
  startedAt: string;
  sizes: string;
}) {
  const sizes = options.sizes.split(",").map(Number);
  const rounds = Number(flag("memory-rounds") ?? 3);
  if (sizes.some((s) => !(s > 0 && s <= 1000)))
    throw new Error("--memory-sizes: MiB from 0 to 1000");
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error("--memory-rounds: a positive integer");
  const db = new pg.Client({ connectionString: options.url });
  await db.connect();
  const storageDir = mkdtempSync(join(tmpdir(), "bench-attachments-memory-"));
  let memory: Awaited<ReturnType<typeof runMemoryBySize>>;
  try {
    await db.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt")
       VALUES ('bench-m-1', 'bench-m-1@example.test', 'Memory', '!', 'USER'::"Role", now())`,
    );
    const cookie = await cookieFor(db, "bench-m-1", SECRET);
    memory = await runMemoryBySize({ ...options, cookie, sizes, rounds, storageDir });
  } finally {
    await db.end();
    rmSync(storageDir, { recursive: true, force: true });
  }
  const results = {
    startedAt: options.startedAt,
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      ramGiB: round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: loadavg().map((v) => round(v, 2)),
    },
    app: {
      server:
        "scripts/server.ts (production build of a private copy), --expose-gc, memory-probe.mjs",
      storage: "local, a temp folder on the same disk",
      env: {
        RATE_LIMIT_UPLOADS_PER_HOUR: UPLOADS_PER_HOUR,
        TESSERA_ATTACHMENT_MAX_MB: memory.maxFileMb,
      },
    },
    memoryBySize: memory,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  for (const s of memory.bySize) {
    const g = s.medianGrowthMiB;
    log(
      `${String(s.sizeMiB).padStart(5)} MiB x${s.rounds}: RSS +${g.rss} (rounds ${s.rssGrowthByRoundMiB.join(", ")}), heap used +${g.heapUsed}, young gen +${g.newSpace}, external +${g.external}, ArrayBuffers +${g.arrayBuffers} MiB; ${s.medianRequestMs} ms`,
    );
  }
  log(`RSS growth per MiB uploaded (least squares over every upload): ${memory.rssSlopeMiBPerMiB}`);
  log(`results written to ${options.out}`);
}
