// `npm run bench -- --refusal-flood`: does a flood of refused sign-ins slow other users' audited
// writes? (issue 10 §3). Runs in a child process started by scripts/bench/index.ts with
// `--conditions=react-server` (so the app's "server-only" modules load outside Next) against its
// own database (REFUSAL_BENCH_DATABASE_URL, default tessera_bench_refusals, recreated).
//
// Three phases, the same for each: one "other user" makes WRITES audited writes one after
// another (a ticket-like event through recordAuditStandalone, i.e. the audit lock) and records
// each one's latency, while nothing / the old path / the new path handles FLOOD refusals with
// PARALLEL in flight:
//   old: what every throttled sign-in did before: recordAuditStandalone + an outbox row;
//   new: recordRefusal (lib/security/refusals.ts): one counter upsert, the first one audited.
import { cpus, loadavg } from "node:os";
import { recordAuditStandalone } from "@/lib/audit";
import { db } from "@/lib/db";
import { enqueueOutbox } from "@/lib/outbox/store";
import { buildSecurityEvent } from "@/lib/security/events";
import { recordRefusal } from "@/lib/security/refusals";
import { summarize } from "./stats";

const FLOOD = Number(process.env.REFUSAL_BENCH_FLOOD ?? 10_000);
const PARALLEL = Number(process.env.REFUSAL_BENCH_PARALLEL ?? 20);
const WRITES = Number(process.env.REFUSAL_BENCH_WRITES ?? 300);
const log = (line: string) => console.log(`[bench:refusals] ${line}`);

const context = (i: number) => ({
  ip: "203.0.113.66",
  userAgent: "flood",
  requestId: `flood-${i}`,
});

async function oldRefusal(i: number) {
  await recordAuditStandalone(db, {
    action: "auth.sign_in",
    entityType: "User",
    outcome: "REFUSED",
    metadata: { reason: "rate_limited", scope: "ip", email: `x${i}@example.test` },
    context: context(i),
  });
  const event = buildSecurityEvent("auth.throttled", { scope: "ip", ip: "203.0.113.66" });
  await enqueueOutbox(db, event, ["siem"]);
}

async function newRefusal(i: number) {
  await recordRefusal({
    key: ["bench", "rate_limited", "ip", "203.0.113.66", process.pid],
    audit: {
      action: "auth.sign_in",
      entityType: "User",
      outcome: "REFUSED",
      metadata: { reason: "rate_limited", scope: "ip", email: `x${i}@example.test` },
      context: context(i),
    },
    alert: { type: "auth.throttled", fields: { scope: "ip", ip: "203.0.113.66" } },
  });
}

async function flood(kind: "old" | "new"): Promise<number> {
  const started = performance.now();
  let next = 0;
  const one = kind === "old" ? oldRefusal : newRefusal;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < FLOOD) await one(next++);
    }),
  );
  return performance.now() - started;
}

async function otherUserWrites(stop: () => boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WRITES || !stop(); i++) {
    const t = performance.now();
    await recordAuditStandalone(db, {
      action: "ticket.priority",
      entityType: "Ticket",
      entityId: `bench-${i}`,
      outcome: "SUCCESS",
      before: { priority: "LOW" },
      after: { priority: "HIGH" },
      context: { ip: "192.0.2.10", userAgent: "other user", requestId: `other-${i}` },
    });
    times.push(performance.now() - t);
    if (i >= WRITES && stop()) break;
  }
  return times;
}

const counts = async () => {
  const [row] = await db.$queryRaw<{ audit: bigint; outbox: bigint }[]>`
    SELECT (SELECT count(*) FROM "AuditEvent" WHERE "userAgent" = 'flood') AS audit,
           (SELECT count(*) FROM "SecurityOutbox") AS outbox`;
  return { audit: Number(row!.audit), outbox: Number(row!.outbox) };
};

const summary = (times: number[]) => {
  const s = summarize(times);
  return { writes: s.runs, p50: s.p50, p95: s.p95, p99: s.p99, max: s.max };
};

async function main() {
  process.env.TESSERA_SIEM_URL ??= "http://127.0.0.1:9/bench"; // queued, never delivered
  log(
    `${cpus().length} CPUs, load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
  const results: Record<string, unknown> = { flood: FLOOD, parallel: PARALLEL };
  // Warm-up.
  await otherUserWrites(() => true);

  results.baseline = summary(await otherUserWrites(() => true));
  log(`baseline (no flood): ${JSON.stringify(results.baseline)}`);

  for (const kind of ["old", "new"] as const) {
    const before = await counts();
    let done = false;
    const floodRun = flood(kind).then((ms) => {
      done = true;
      return ms;
    });
    const times = await otherUserWrites(() => done);
    const ms = await floodRun;
    const after = await counts();
    results[kind] = {
      ...summary(times),
      floodSeconds: +(ms / 1000).toFixed(1),
      refusalsPerSecond: Math.round(FLOOD / (ms / 1000)),
      auditRowsAdded: after.audit - before.audit,
      alertsAdded: after.outbox - before.outbox,
    };
    log(`${kind} path under the flood: ${JSON.stringify(results[kind])}`);
  }
  console.log(JSON.stringify(results));
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
