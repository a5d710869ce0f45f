// `npm run bench -- --load`: a working day on the seeded help desk (issue 12 §4). 50 technicians
// (dashboard, queues, filters, search, ticket pages, replies, internal notes, status changes,
// bulk assignment) and 500 requesters (home, my tickets, their ticket pages, the new-ticket form,
// new tickets, replies), each a loop of "think, then act", against the production build behind
// scripts/server.ts (audit sealer included) on the bench database that `npm run bench` seeds.
//
// Phases: a warm-up (not recorded), the main run at --rate requests/s for --seconds (default 100
// and 600), then a ramp of --step-seconds steps at higher rates until a page's p95 passes 300 ms
// (or the last step). Think times are exponential with the mean that gives the rate when answers
// are instant (closed model: slower answers lower the rate; the achieved rate is reported).
// Recorded per phase: per-operation count, errors, p50/p95/p99 (client-side, body read); CPU
// (cores) of the app, PostgreSQL and this load generator; the app's RSS and PostgreSQL's Pss.
// After the run: every acknowledged creation is stored with its audit row, and the sealer
// catches up. Every failure is counted and sampled; none is retried.
import type { ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { formatSummary, summariseProfile, type Profile } from "./cpu-profile";
import { cookieFor, findAction, type ActionRef } from "../lib/app-client";
import { waitSealed } from "./db";
import { prepareApp } from "./measure-http";
import { cpuDelta, cpuSeconds, postgresPids, pssMiB, rssMiB, startServer, stop } from "./processes";
import { loadPools, type Pools } from "./mixed-pools";
import { summarize, type Summary } from "./stats";
import { COMMON } from "./words";

const SECRET = "bench-auth-secret-0123456789-abcdefghijklmnop";
const PAGE_TARGET_MS = 200;
const ACTION_TARGET_MS = 250;
const RAMP_LIMIT_MS = 300;
/** Share of all requests made by technicians (the rest by requesters). */
const TECH_SHARE = 0.3;

type Kind = "page" | "action";
type Op = { name: string; kind: Kind; weight: number; run: (u: VirtualUser) => Promise<void> };
type VirtualUser = { id: string; cookie: string; role: "tech" | "user" };

type OpResult = {
  kind: Kind;
  requests: number;
  errors: number;
  latency: Summary;
  sampleErrors: string[];
};
type PhaseResult = {
  name: string;
  offeredRate: number;
  seconds: number;
  achievedRate: number;
  requests: number;
  errors: number;
  ops: Record<string, OpResult>;
  cpu: { app: number; postgres: number; loadGenerator: number };
  memory: { appRssMaxMiB: number; appRssMeanMiB: number; postgresPssMaxMiB: number };
  worstPageP95: { name: string; ms: number };
  worstActionP95: { name: string; ms: number };
  /** Monotonic microseconds (process.hrtime's clock, as in V8 CPU profiles). */
  window: [number, number];
};

export async function benchMixed(
  url: string,
  options: {
    log: (line: string) => void;
    appDir: string;
    build: boolean;
    rate: number;
    seconds: number;
    stepSeconds: number;
    rampRates: number[];
    out: string;
    /** V8's old-space limit of the app process, MiB (default: Node's own). */
    appHeapMiB?: number;
    /** Run the app under V8's profiler (writes here) and report where the main phase's time went. */
    cpuProf?: string;
  },
) {
  const { log } = options;
  if (options.build) prepareApp(options.appDir, url, log);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const lookups = new pg.Pool({ connectionString: url, max: 4 });
  let app: ChildProcess | null = null;
  try {
    log("picking each user's tickets (not timed)");
    const pools = await loadPools(db);
    const techs: VirtualUser[] = [];
    for (const id of pools.technicians)
      techs.push({ id, cookie: await cookieFor(db, id, SECRET), role: "tech" });
    const users: VirtualUser[] = [];
    for (const id of pools.requesters)
      users.push({ id, cookie: await cookieFor(db, id, SECRET), role: "user" });

    const port = 3930 + (process.pid % 30);
    const base = `http://127.0.0.1:${port}`;
    log("starting the app (scripts/server.ts, production build)");
    app = await startServer({
      appDir: options.appDir,
      url,
      port,
      secret: SECRET,
      cpuProf: options.cpuProf,
      // 550 people's day compressed into minutes: each files and replies far more often than the
      // per-user hourly caps allow. The caps are tested elsewhere; here they would only refuse.
      env: {
        RATE_LIMIT_TICKETS_PER_HOUR: "1000000",
        RATE_LIMIT_REPLIES_PER_HOUR: "1000000",
        RATE_LIMIT_TICKET_EDITS_PER_HOUR: "1000000",
        // --app-heap-mb: V8's old-space limit for the app only (the memory target's setting).
        ...(options.appHeapMiB
          ? { NODE_OPTIONS: `--max-old-space-size=${options.appHeapMiB}` }
          : {}),
      },
    });
    const appPid = app.pid!;
    const ops = operations({ base, appDir: options.appDir, pools, lookups });
    const created = { acknowledged: 0 };
    const counting = ops.requester.map((op) =>
      op.name === "requester: new ticket (action)"
        ? {
            ...op,
            run: async (u: VirtualUser) => {
              await op.run(u);
              created.acknowledged += 1;
            },
          }
        : op,
    );
    const before = await benchTickets(db);

    const phase = (name: string, rate: number, seconds: number) =>
      runPhase({
        name,
        rate,
        seconds,
        techs,
        users,
        techOps: ops.technician,
        userOps: counting,
        appPid,
        log,
      });

    log(`warm-up: 30 s at ${options.rate} requests/s`);
    await phase("warm-up", options.rate, 30);
    const phases: PhaseResult[] = [];
    phases.push(await phase("main", options.rate, options.seconds));
    let rampPassedAt: number | null = null;
    for (const rate of options.rampRates) {
      const step = await phase(`ramp ${rate}/s`, rate, options.stepSeconds);
      phases.push(step);
      if (step.worstPageP95.ms > RAMP_LIMIT_MS) {
        rampPassedAt = rate;
        break;
      }
    }

    let profile: string[] | null = null;
    if (options.cpuProf) {
      await stop(app);
      app = null;
      profile = profileLines(options.cpuProf, phases[0]!);
      for (const line of profile) log(`  ${line}`);
    }
    const stored = (await benchTickets(db)) - before;
    const { rows } = await db.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM "Ticket" t
        WHERE t.title LIKE 'Load test %' AND NOT EXISTS (
          SELECT 1 FROM "AuditEvent" a WHERE a."entityId" = t.id AND a.action = 'ticket.create')`,
    );
    const sealedAfter = await waitSealed(db);
    const main = phases[0]!;
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30 },
      loadavgAtEnd: loadavg(),
      users: { technicians: techs.length, requesters: users.length, techShare: TECH_SHARE },
      targets: {
        pageP95Ms: PAGE_TARGET_MS,
        actionP95Ms: ACTION_TARGET_MS,
        rampLimitMs: RAMP_LIMIT_MS,
      },
      phases,
      rampPassedAt,
      profile,
      integrity: {
        acknowledgedCreations: created.acknowledged,
        storedCreations: stored,
        withoutAuditRow: rows[0]!.missing,
        sealedAfterSeconds: sealedAfter,
      },
      verdict: {
        pagesWithin: main.worstPageP95.ms <= PAGE_TARGET_MS,
        actionsWithin: main.worstActionP95.ms <= ACTION_TARGET_MS,
        noErrors: main.errors === 0,
        appUnder512MiB: main.memory.appRssMaxMiB < 512,
      },
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    log(
      `integrity: ${created.acknowledged} creations acknowledged, ${stored} stored, ` +
        `${rows[0]!.missing} without audit row; sealed ${sealedAfter} s after the load`,
    );
    log(
      rampPassedAt
        ? `a page's p95 passed ${RAMP_LIMIT_MS} ms at ${rampPassedAt} requests/s offered`
        : options.rampRates.length > 0
          ? `no page's p95 passed ${RAMP_LIMIT_MS} ms up to ${options.rampRates.at(-1)} requests/s`
          : "no ramp (--ramp none)",
    );
    log(`verdict ${JSON.stringify(report.verdict)}; results in ${options.out}`);
    if (stored !== created.acknowledged || rows[0]!.missing !== 0)
      throw new Error("acknowledged creations and stored tickets/audit rows differ");
    return report;
  } finally {
    if (app) await stop(app);
    await lookups.end();
    await db.end();
  }
}

/** Main-thread time per request of the main phase, by part of the stack (cpu-profile.ts). */
function profileLines(dir: string, main: PhaseResult): string[] {
  const files = readdirSync(dir).map((f) => join(dir, f));
  const file = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  return formatSummary(summariseProfile(profile, { window: main.window }), main.requests);
}

async function benchTickets(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Ticket" WHERE title LIKE 'Load test %'`,
  );
  return rows[0]!.n;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const WORDS = COMMON.filter((w) => w.length > 3);
const REPLY = "Thanks, I checked the printer queue and restarted the spooler; please try again.";

/** The operations, by who makes them; each throws unless the app answered what a browser gets. */
function operations(ctx: { base: string; appDir: string; pools: Pools; lookups: pg.Pool }) {
  const { base, pools, lookups } = ctx;
  const cookies = new Map<string, string>();
  const request = async (u: VirtualUser, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, cookie: cookies.get(u.id) ?? u.cookie },
    });
    // The middleware re-issues the session cookie as the idle clock moves: keep it, as a browser.
    const renewed = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
    if (renewed) cookies.set(u.id, renewed.split(";")[0]!);
    return { status: res.status, body: await res.text() };
  };
  const page = async (u: VirtualUser, path: string, expect: string) => {
    const { status, body } = await request(u, path);
    if (status !== 200 || !body.includes(expect))
      throw new Error(`GET ${path.replace(/\d+/g, "N")}: ${status}, no "${expect}"`);
  };
  const action = async (u: VirtualUser, ref: ActionRef, path: string, input: unknown) => {
    const { status, body } = await request(u, path, {
      method: "POST",
      headers: {
        "next-action": ref.id,
        "content-type": "text/plain;charset=UTF-8",
        origin: base,
        accept: "text/x-component",
      },
      body: JSON.stringify([input]),
    });
    if (status !== 200 || !body.includes('"ok":true')) {
      const reason = /"formError":"([^"]{0,120})/.exec(body)?.[1] ?? body.slice(0, 120);
      throw new Error(`POST ${ref.page}: ${status} ${reason}`);
    }
  };
  const ticketsFile = "lib/tickets/actions.ts";
  const refs = {
    create: findAction(ctx.appDir),
    triage: findAction(ctx.appDir, { file: ticketsFile, name: "triageTicketAction" }),
    reply: findAction(ctx.appDir, { file: ticketsFile, name: "replyToTicketAction" }),
    bulkAssign: findAction(ctx.appDir, { file: ticketsFile, name: "bulkAssignTicketsAction" }),
  };
  /** The ticket as the page the user just opened shows it (version, status): a key lookup. */
  const current = async (id: string) => {
    const { rows } = await lookups.query<{ version: number; status: string }>(
      `SELECT version, status::text FROM "Ticket" WHERE id = $1`,
      [id],
    );
    return rows[0]!;
  };
  const mine = (u: VirtualUser) => pools.byUser.get(u.id)!;
  const list = (params: Record<string, string>) => `/tickets?${new URLSearchParams(params)}`;
  let seq = 0;
  /** A reply or internal note from the ticket page's one form (the triage action). */
  const comment = (name: string, weight: number, visibility: string, body: string): Op => ({
    name,
    kind: "action",
    weight,
    run: async (u) => {
      const t = pick(mine(u));
      const { version } = await current(t.id);
      await action(u, refs.triage, `/tickets/${t.number}`, {
        ticketId: t.id,
        version,
        body,
        visibility,
      });
    },
  });

  const technician: Op[] = [
    {
      name: "tech: dashboard",
      kind: "page",
      weight: 5,
      run: (u) => page(u, "/", "Technician desk"),
    },
    {
      name: "tech: queue",
      kind: "page",
      weight: 25,
      run: (u) => page(u, list({ queue: pick(["unassigned", "mine", "mine", "open"]) }), "Tickets"),
    },
    {
      name: "tech: filtered list",
      kind: "page",
      weight: 8,
      run: (u) =>
        page(
          u,
          list({ queue: "open", priority: "HIGH,URGENT", category: pick(pools.categories) }),
          "Tickets",
        ),
    },
    {
      name: "tech: search",
      kind: "page",
      weight: 8,
      run: (u) => page(u, list({ q: pick(WORDS) }), "Tickets"),
    },
    {
      name: "tech: ticket page",
      kind: "page",
      weight: 24,
      run: (u) => {
        const n =
          Math.random() < 0.5
            ? pick(mine(u)).number
            : 1 + Math.floor(Math.random() * pools.maxNumber);
        return page(u, `/tickets/${n}`, `#${n}`);
      },
    },
    comment("tech: reply", 12, "public", REPLY),
    comment(
      "tech: internal note",
      6,
      "internal",
      "Spooler restarted on PRN-03; watching the queue.",
    ),
    {
      name: "tech: status change",
      kind: "action",
      weight: 8,
      run: async (u) => {
        const t = pick(mine(u));
        const { version, status } = await current(t.id);
        // A legal move from where the ticket is now; resolving carries the reply it needs.
        const to: Record<string, string> = {
          NEW: "IN_PROGRESS",
          OPEN: "IN_PROGRESS",
          IN_PROGRESS: pick(["ON_HOLD", "RESOLVED"]),
          ON_HOLD: "IN_PROGRESS",
          RESOLVED: "OPEN",
          CLOSED: "",
        };
        // Nothing in the mix closes a ticket: one found closed is a fault worth seeing, not a
        // request to count as answered.
        if (!to[status]) throw new Error(`ticket ${t.number} is ${status}: no move to make`);
        await action(u, refs.triage, `/tickets/${t.number}`, {
          ticketId: t.id,
          version,
          status: to[status],
          body: to[status] === "RESOLVED" ? REPLY : "",
          visibility: "public",
        });
      },
    },
    {
      name: "tech: bulk assign 10",
      kind: "action",
      weight: 4,
      run: async (u) => {
        const batch = pools.unassigned.splice(0, 10);
        if (batch.length === 0) throw new Error("the unassigned pool ran dry");
        await action(u, refs.bulkAssign, "/tickets", {
          ticketIds: batch.map((t) => t.id),
          assigneeId: u.id,
        });
      },
    },
  ];

  const requester: Op[] = [
    {
      name: "requester: home",
      kind: "page",
      weight: 20,
      run: (u) => page(u, "/", "Your help desk"),
    },
    {
      name: "requester: my tickets",
      kind: "page",
      weight: 30,
      run: (u) => page(u, "/tickets", "My tickets"),
    },
    {
      name: "requester: ticket page",
      kind: "page",
      weight: 20,
      run: (u) => {
        const n = pick(mine(u)).number;
        return page(u, `/tickets/${n}`, `#${n}`);
      },
    },
    {
      name: "requester: new ticket form",
      kind: "page",
      weight: 10,
      run: (u) => page(u, "/tickets/new", "New ticket"),
    },
    {
      name: "requester: new ticket (action)",
      kind: "action",
      weight: 10,
      run: (u) =>
        action(u, refs.create, "/tickets/new", {
          title: `Load test ${process.pid}-${++seq}: printer on floor 3 jams`,
          description: "After the update the printer shows a paper jam. **Urgent** for payroll.",
          categoryId: pick(pools.categories),
        }),
    },
    {
      name: "requester: reply",
      kind: "action",
      weight: 10,
      run: async (u) => {
        const t = pick(mine(u));
        await action(u, refs.reply, `/tickets/${t.number}`, {
          ticketId: t.id,
          body: "It happened again this morning, same message.",
        });
      },
    },
  ];
  return { technician, requester };
}

function chooser(ops: Op[]): () => Op {
  const total = ops.reduce((s, o) => s + o.weight, 0);
  return () => {
    let r = Math.random() * total;
    for (const op of ops) if ((r -= op.weight) < 0) return op;
    return ops.at(-1)!;
  };
}

async function runPhase(p: {
  name: string;
  rate: number;
  seconds: number;
  techs: VirtualUser[];
  users: VirtualUser[];
  techOps: Op[];
  userOps: Op[];
  appPid: number;
  log: (line: string) => void;
}): Promise<PhaseResult> {
  const samples = new Map<string, { kind: Kind; ms: number[]; errors: string[] }>();
  for (const op of [...p.techOps, ...p.userOps])
    samples.set(op.name, { kind: op.kind, ms: [], errors: [] });
  // Mean think time per user so that, with instant answers, the group makes its share of `rate`.
  const techThink = p.techs.length / (TECH_SHARE * p.rate);
  const userThink = p.users.length / ((1 - TECH_SHARE) * p.rate);
  const until = performance.now() + p.seconds * 1000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const think = (mean: number) => -Math.log(1 - Math.random()) * mean * 1000;

  const pgPids = postgresPids();
  const app0 = cpuSeconds([p.appPid]);
  const db0 = cpuSeconds(pgPids);
  const client0 = process.cpuUsage();
  const rss: number[] = [];
  let pssMax = 0;
  const sampler = setInterval(() => {
    rss.push(rssMiB(p.appPid));
    pssMax = Math.max(pssMax, pssMiB(postgresPids()));
  }, 2000);
  const started = performance.now();
  const from = Number(process.hrtime.bigint() / 1000n);

  const loop = async (u: VirtualUser, next: () => Op, mean: number) => {
    // Users start spread over one think time, not all at once.
    await sleep(Math.random() * mean * 1000);
    while (performance.now() < until) {
      const op = next();
      const s = samples.get(op.name)!;
      const t = performance.now();
      try {
        await op.run(u);
        s.ms.push(performance.now() - t);
      } catch (err) {
        s.errors.push((err as Error).message);
      }
      await sleep(Math.min(think(mean), until - performance.now()));
    }
  };
  await Promise.all([
    ...p.techs.map((u) => loop(u, chooser(p.techOps), techThink)),
    ...p.users.map((u) => loop(u, chooser(p.userOps), userThink)),
  ]);
  const wall = (performance.now() - started) / 1000;
  const to = Number(process.hrtime.bigint() / 1000n);
  clearInterval(sampler);
  const clientUsage = process.cpuUsage(client0);

  const ops: Record<string, OpResult> = {};
  let requests = 0;
  let errors = 0;
  const worst = { page: { name: "", ms: 0 }, action: { name: "", ms: 0 } };
  for (const [name, s] of samples) {
    const latency = summarize(s.ms);
    ops[name] = {
      kind: s.kind,
      requests: s.ms.length + s.errors.length,
      errors: s.errors.length,
      latency,
      sampleErrors: [...new Set(s.errors)].slice(0, 3),
    };
    requests += s.ms.length + s.errors.length;
    errors += s.errors.length;
    const w = worst[s.kind];
    if (s.ms.length > 0 && latency.p95 > w.ms) Object.assign(w, { name, ms: latency.p95 });
  }
  const result: PhaseResult = {
    name: p.name,
    offeredRate: p.rate,
    seconds: +wall.toFixed(1),
    achievedRate: +(requests / wall).toFixed(1),
    requests,
    errors,
    ops,
    cpu: {
      app: +(cpuDelta(app0, cpuSeconds([p.appPid])) / wall).toFixed(2),
      // Backends opened during the phase count from zero (the pool opens them lazily).
      postgres: +(cpuDelta(db0, cpuSeconds(postgresPids())) / wall).toFixed(2),
      loadGenerator: +((clientUsage.user + clientUsage.system) / 1e6 / wall).toFixed(2),
    },
    memory: {
      appRssMaxMiB: Math.max(0, ...rss),
      appRssMeanMiB: +(rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length)).toFixed(1),
      postgresPssMaxMiB: pssMax,
    },
    worstPageP95: worst.page,
    worstActionP95: worst.action,
    window: [from, to],
  };
  p.log(
    `${p.name}: ${result.achievedRate} requests/s (offered ${p.rate}), ${errors} errors of ` +
      `${requests}; worst page p95 ${worst.page.ms} ms (${worst.page.name}), worst action p95 ` +
      `${worst.action.ms} ms (${worst.action.name}); CPU app ${result.cpu.app}, PostgreSQL ` +
      `${result.cpu.postgres}, load generator ${result.cpu.loadGenerator}; app RSS max ` +
      `${result.memory.appRssMaxMiB} MiB`,
  );
  if (p.name !== "warm-up")
    for (const [name, o] of Object.entries(ops))
      if (o.requests > 0)
        p.log(
          `  ${name}: ${o.requests} (${o.errors} errors) p50 ${o.latency.p50} p95 ${o.latency.p95} ` +
            `p99 ${o.latency.p99} ms${o.errors ? ` e.g. ${o.sampleErrors[0]}` : ""}`,
        );
  return result;
}
