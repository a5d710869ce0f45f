// Records every statement the app's Prisma client sends (through @prisma/adapter-pg -> pg) with
// its bind values and its duration at the driver (send to last row received, localhost). That is
// "database time" for the exact SQL the pages run, without guessing what Prisma generates.
import pg from "pg";

export type Captured = { text: string; values: unknown[]; ms: number; start: number; end: number };

let sink: Captured[] | null = null;

type QueryFn = (...args: unknown[]) => unknown;

export function installCapture(): void {
  const proto = pg.Client.prototype as unknown as { query: QueryFn; __benchPatched?: boolean };
  if (proto.__benchPatched) return;
  const original = proto.query;
  proto.query = function patched(this: unknown, ...args: unknown[]) {
    const target = sink;
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === "string" ? first : first?.text;
    if (!target || typeof text !== "string") return original.apply(this, args);
    const values = (typeof first === "string" ? args[1] : first.values) as unknown[] | undefined;
    const started = performance.now();
    const entry: Captured = {
      text,
      values: Array.isArray(values) ? values : [],
      ms: 0,
      start: started,
      end: started,
    };
    const done = () => {
      entry.end = performance.now();
      entry.ms = entry.end - started;
      target.push(entry);
    };
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (...cb: unknown[]) => {
        done();
        return (last as QueryFn)(...cb);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args) as Promise<unknown> | undefined;
    return result?.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };
  proto.__benchPatched = true;
}

/** Runs fn and returns the statements it sent, in completion order. */
export async function capture<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; statements: Captured[] }> {
  const statements: Captured[] = [];
  sink = statements;
  try {
    const result = await fn();
    return { result, statements };
  } finally {
    sink = null;
  }
}

/**
 * Time during which at least one statement was in flight: Prisma loads relations with parallel
 * queries, so summing their durations would count the overlap twice.
 */
export function inFlightMs(statements: Captured[]): number {
  const spans = statements.map((s) => [s.start, s.end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = spans[0] ?? [0, 0];
  for (const [start, end] of spans.slice(1)) {
    if (start > to) {
      total += to - from;
      [from, to] = [start, end];
    } else to = Math.max(to, end);
  }
  return total + (to - from);
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SET|SHOW|DEALLOCATE)\b/i;

/** EXPLAIN (ANALYZE, BUFFERS) of each data statement, with the same bind values. */
export async function explainAll(
  client: pg.Client,
  statements: Captured[],
): Promise<{ sql: string; values: unknown[]; plan: string }[]> {
  const plans: { sql: string; values: unknown[]; plan: string }[] = [];
  for (const s of statements) {
    if (CONTROL.test(s.text)) continue;
    const { rows } = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
      s.values,
    );
    plans.push({
      sql: s.text,
      values: s.values,
      plan: rows.map((r) => r["QUERY PLAN"]).join("\n"),
    });
  }
  return plans;
}
