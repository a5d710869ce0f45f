// The driver adapter factory handed to the Wasm schema engine. It wraps the stock
// @prisma/adapter-pg 7.10.1 and fixes the traps described in docs/decisions/002:
//  1. Postgres's internal "char" type (OID 18, read from pg_constraint) is relabelled as text
//     before the adapter decodes result columns (it cannot deserialize OID 18), and reported
//     to the engine as a Character column: the engine reads pg_constraint.contype with
//     `as char` and panics on a Text value as soon as a CHECK constraint exists.
//  2. Pools are built from parsed config fields, never a connection string (with a string the
//     string's database name wins, so a "shadow" would silently be the main database).
//  3. Pools are closed before any scratch database is dropped (see shadow.ts).
//  4. executeScript sends the whole script as ONE simple-protocol query on one connection:
//     Postgres runs it as one implicit transaction, so a failing migration leaves nothing
//     behind. (The stock adapter splits on ";", which breaks $$ bodies and is not atomic.)
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, DriverAdapterError } from "@prisma/driver-adapter-utils";
import type {
  SqlDriverAdapter,
  SqlQueryable,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

/** Connection fields for one PostgreSQL database (no connection string on purpose: trap 2). */
export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
}

/** Parses a postgres:// URL into explicit fields. Only the public schema is supported. */
export function parsePgUrl(url: string): PgTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("Database URL is not a valid postgres:// URL");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new Error(
      `Database URL must start with postgres:// or postgresql:// (got ${u.protocol})`,
    );
  }
  const schema = u.searchParams.get("schema");
  if (schema && schema !== "public") {
    throw new Error(`Only the "public" schema is supported by scripts/db (got schema=${schema})`);
  }
  const sslmode = u.searchParams.get("sslmode");
  let ssl: PgTarget["ssl"];
  if (sslmode === "require" || sslmode === "prefer") ssl = { rejectUnauthorized: false };
  else if (sslmode === "verify-ca" || sslmode === "verify-full") ssl = true;
  return {
    // A `host` query parameter (e.g. a Unix socket folder) overrides the URL host, as in libpq.
    host: u.searchParams.get("host") ?? (decodeURIComponent(u.hostname) || "127.0.0.1"),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || "postgres",
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
    ssl,
  };
}

/** For messages: never print the password. */
export function describeTarget(t: PgTarget): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}

const CHAR_OID = 18;
const TEXT_OID = 25;
/** Marks, on a result's rows array, which columns were "char" (the adapter passes that very
 * array through to its own result, so the mark survives to wrapQueryRaw below). */
const CHAR_COLUMNS = Symbol("tessera.charColumns");
type MarkedRows = unknown[] & { [CHAR_COLUMNS]?: number[] };

function relabelChar(result: unknown): unknown {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as Array<{ fields?: Array<{ dataTypeID: number }>; rows?: MarkedRows }>) {
    const charColumns: number[] = [];
    (r?.fields ?? []).forEach((field, i) => {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        charColumns.push(i);
      }
    });
    if (charColumns.length > 0 && Array.isArray(r.rows)) {
      Object.defineProperty(r.rows, CHAR_COLUMNS, { value: charColumns, enumerable: false });
    }
  }
  return result;
}

/** Reports the relabelled columns to the engine as Character (what it expects for "char"). */
function wrapQueryRaw<T extends SqlQueryable>(queryable: T): T {
  const original = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await original(query);
    for (const i of (result.rows as MarkedRows)[CHAR_COLUMNS] ?? []) {
      result.columnTypes[i] = ColumnTypeEnum.Character;
    }
    return result;
  };
  return queryable;
}

type QueryCallback = (err: Error | null, res: unknown) => void;
type AnyQuery = (...args: unknown[]) => unknown;

/** A pg.Client whose results report "char" columns as text (trap 1). Values are already
 * strings: pg has no parser for OID 18 and leaves them as text. */
class CharAsTextClient extends pg.Client {}
const baseQuery = pg.Client.prototype.query as unknown as AnyQuery;
(CharAsTextClient.prototype as unknown as { query: AnyQuery }).query = function (
  this: pg.Client,
  config: unknown,
  values?: unknown,
  callback?: unknown,
) {
  // Submittables (cursors, streams) manage their own results; the adapter never uses them.
  if (config && typeof (config as { submit?: unknown }).submit === "function") {
    return baseQuery.call(this, config, values, callback);
  }
  if (typeof values === "function") {
    const cb = values as QueryCallback;
    return baseQuery.call(this, config, (err: Error | null, res: unknown) =>
      cb(err, err ? res : relabelChar(res)),
    );
  }
  if (typeof callback === "function") {
    const cb = callback as QueryCallback;
    return baseQuery.call(this, config, values, (err: Error | null, res: unknown) =>
      cb(err, err ? res : relabelChar(res)),
    );
  }
  return (baseQuery.call(this, config, values) as Promise<unknown>).then(relabelChar);
};

function toAdapterError(error: unknown): unknown {
  const e = error as Partial<pg.DatabaseError>;
  if (
    typeof e?.code === "string" &&
    typeof e.severity === "string" &&
    typeof e.message === "string"
  ) {
    return new DriverAdapterError({
      kind: "postgres",
      code: e.code,
      severity: e.severity,
      message: e.message,
      detail: e.detail,
      column: e.column,
      hint: e.hint,
    });
  }
  return error;
}

/** A pool for one target; `max: 1` pins every query of the engine to one session. */
export function createPool(target: PgTarget, max = 4): pg.Pool {
  const pool = new pg.Pool({
    ...target,
    max,
    Client: CharAsTextClient as unknown as new () => pg.ClientBase,
  });
  // An idle client dying (e.g. a scratch database dropped with FORCE) must not crash the process.
  pool.on("error", () => {});
  return pool;
}

async function adapterOn(pool: pg.Pool): Promise<SqlDriverAdapter> {
  const adapter = wrapQueryRaw(await new PrismaPg(pool).connect());
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) =>
    wrapQueryRaw(await startTransaction(isolationLevel));
  // Trap 4: one simple-protocol query (no parameters) on one pooled connection.
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      throw toAdapterError(error);
    }
  };
  return adapter;
}

/** Supplies a fresh, empty database for the engine's shadow (see shadow.ts). */
export interface ScratchDatabase {
  target: PgTarget;
  /** Drops the database (after our pools to it are closed). */
  release(): Promise<void>;
}
export type ScratchSource = () => Promise<ScratchDatabase>;

/**
 * Factory for the engine. `main` is the database migrations are applied to; `scratch` provides
 * shadow databases (null = the operation must never need one, e.g. applying migrations).
 * Call close() when done: it ends every pool, then releases scratch databases (trap 3).
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  private readonly pools: pg.Pool[] = [];
  private readonly scratches: ScratchDatabase[] = [];

  constructor(
    private readonly main: PgTarget,
    private readonly scratch: ScratchSource | null,
  ) {}

  async connect(): Promise<SqlDriverAdapter> {
    // One session: the engine's advisory lock, its bookkeeping and the migration scripts all
    // run on the same connection, so the lock really serializes concurrent runs.
    const pool = createPool(this.main, 1);
    this.pools.push(pool);
    return adapterOn(pool);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (!this.scratch) {
      throw new Error("This operation must not use a shadow database (refusing to create one).");
    }
    const db = await this.scratch();
    this.scratches.push(db);
    const pool = createPool(db.target, 2);
    this.pools.push(pool);
    return adapterOn(pool);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.pools.splice(0).map((p) => p.end()));
    const errors: unknown[] = [];
    for (const db of this.scratches.splice(0)) {
      try {
        await db.release();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
