// Renders a results JSON of `npm run bench` as the Markdown tables and plans that
// docs/benchmarks.md quotes: `npx tsx scripts/bench/report.ts .data/bench/results-1000000.json`.
// Numbers come only from the file; nothing here is typed in by hand.
import { readFileSync } from "node:fs";
import type { Summary } from "./stats";

type Scenario = {
  name: string;
  group: string;
  target: number;
  note?: string;
  db: Summary;
  call: Summary;
  statements: { sql: string; summary: Summary }[];
  plans: { sql: string; values: unknown[]; plan: string }[];
};
type Page = { name: string; path: string; target: number; server: Summary };

const file = process.argv[2];
if (!file) throw new Error("usage: report.ts <results.json> [--plans]");
const r = JSON.parse(readFileSync(file, "utf8"));
const ms = (v: number) => v.toFixed(1);
const verdict = (p95: number, target: number) =>
  p95 <= target ? "met" : `missed by ${ms(p95 - target)} ms`;
const out: string[] = [];

out.push(
  `Run: ${r.startedAt} to ${r.finishedAt}; ${r.tickets.toLocaleString("en")} tickets, ${r.auditEvents.toLocaleString("en")} audit events.`,
);
out.push(
  `Load average (1/5/15 min) ${Object.entries(r.loadAverage ?? {})
    .map(([k, v]) => `${k}: ${(v as number[]).join(" / ")}`)
    .join("; ")}.`,
  "",
);

if (r.seed?.rates) {
  out.push("| Table | Rows | Seconds | Rows/s |", "|---|---:|---:|---:|");
  for (const t of r.seed.rates)
    out.push(
      `| ${t.table} | ${t.rows.toLocaleString("en")} | ${t.seconds} | ${t.rowsPerSecond.toLocaleString("en")} |`,
    );
  const a = r.seed.audit;
  if (a)
    out.push(
      `| AuditEvent (hash chain; ${a.hashSeconds} s of it hashing in Node) | ${a.rows.toLocaleString("en")} | ${a.seconds} | ${a.rowsPerSecond.toLocaleString("en")} |`,
    );
  out.push(
    "",
    `Phases (s): ${Object.entries(r.seed.phases)
      .map(([k, v]) => `${k} ${((v as number) / 1000).toFixed(1)}`)
      .join(", ")}; total ${r.seed.totalSeconds ?? "?"} s.`,
    "",
  );
}

const scenarios: Scenario[] = r.database?.scenarios ?? [];
if (scenarios.length) {
  out.push(
    "| Query (database) | Note | p50 | p95 | p99 | min | Target p95 | Result | EXPLAIN ANALYZE execution, all statements | Whole lib call p95 |",
    "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
  );
  for (const s of scenarios) {
    const exec = s.plans.reduce(
      (sum, p) => sum + Number(/Execution Time: ([\d.]+)/.exec(p.plan)?.[1] ?? 0),
      0,
    );
    out.push(
      `| ${s.name} | ${s.note ?? ""} | ${ms(s.db.p50)} | ${ms(s.db.p95)} | ${ms(s.db.p99)} | ${ms(s.db.min)} | ${s.target} | ${verdict(s.db.p95, s.target)} | ${exec.toFixed(2)} | ${ms(s.call.p95)} |`,
    );
  }
  out.push("");
}

const pages: Page[] = r.http?.pages ?? [];
if (pages.length) {
  out.push(
    "| Page (HTTP GET, server time) | p50 | p95 | p99 | min | Target p95 | Result |",
    "|---|---:|---:|---:|---:|---:|---|",
  );
  for (const p of pages)
    out.push(
      `| ${p.name} | ${ms(p.server.p50)} | ${ms(p.server.p95)} | ${ms(p.server.p99)} | ${ms(p.server.min)} | ${p.target} | ${verdict(p.server.p95, p.target)} |`,
    );
  out.push("");
}
const c = r.http?.creation;
if (c) {
  out.push(
    "| Ticket creation (server action over HTTP) | Tickets | p50 ms | p95 ms | p99 ms | Tickets/s | Target |",
    "|---|---:|---:|---:|---:|---:|---|",
  );
  out.push(
    `| concurrency 1 | ${c.concurrency1.created} | ${ms(c.concurrency1.latency.p50)} | ${ms(c.concurrency1.latency.p95)} | ${ms(c.concurrency1.latency.p99)} | ${c.concurrency1.ticketsPerSecond} | |`,
  );
  out.push(
    `| concurrency 20 | ${c.concurrency20.created} | ${ms(c.concurrency20.latency.p50)} | ${ms(c.concurrency20.latency.p95)} | ${ms(c.concurrency20.latency.p99)} | ${c.concurrency20.ticketsPerSecond} | >= ${c.concurrency20.target}/s: ${c.concurrency20.ticketsPerSecond >= c.concurrency20.target ? "met" : "missed"} |`,
  );
  const w = c.concurrency20;
  if (w.meanAdvisoryLockWaiters !== undefined) {
    out.push(
      "",
      `During the concurrency-20 phase, on average ${w.meanActiveSessions} app sessions were active and ${w.meanAdvisoryLockWaiters} of them waited for the audit-chain advisory lock.`,
    );
  }
  out.push(
    "",
    `Audited creations (ticket.create event in the same transaction): ${c.auditedCreates}. Audit chain after the run: ${JSON.stringify(r.auditChain)}.`,
    "",
  );
}

// Relation loads by primary key from the small User and Category tables are summarized, not
// printed: they are the same few-row lookups under every list.
const small = (sql: string) =>
  /FROM "public"\."(User|Category)"/.test(sql) && !/"Ticket"|"AuditEvent"/.test(sql);
if (process.argv.includes("--plans")) {
  for (const s of scenarios) {
    out.push(`#### ${s.name}`, "");
    const skipped = s.plans.filter((p) => small(p.sql));
    if (skipped.length) {
      const times = skipped
        .map((p) => /Execution Time: ([\d.]+)/.exec(p.plan)?.[1] ?? "?")
        .join(", ");
      out.push(
        `(${skipped.length} User/Category lookups by id not shown; execution ${times} ms.)`,
        "",
      );
    }
    s.plans.forEach((p, i) => {
      if (small(p.sql)) return;
      const values = JSON.stringify(p.values).slice(0, 300);
      out.push(
        `Statement ${i + 1} (driver p95 ${ms(s.statements[i]?.summary.p95 ?? 0)} ms), values ${values}:`,
        "",
        "```sql",
        p.sql.trim(),
        "```",
        "",
        "```",
        p.plan,
        "```",
        "",
      );
    });
  }
}
console.log(out.join("\n"));
