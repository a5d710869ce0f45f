// A PostgreSQL wire-protocol front end for PGlite that is safe with many client connections.
//
// PGlite is ONE database session. The socket server of @electric-sql/pglite-socket feeds every
// connection's messages into it one message at a time, so extended-protocol exchanges
// (Parse/Bind/Execute/Sync) and transactions of different connections interleave: one request's
// statement runs with another's parameters, or inside another's transaction (measured: 9-19 % of
// requests failed at concurrency 10; see docs/decisions/003-embedded-postgres.md).
//
// Here a connection owns the session from its first message until PGlite answers ReadyForQuery
// with status "I" (idle, no transaction) at the end of a complete exchange. Everything in between
// (a whole transaction, a whole extended-protocol pipeline, COPY) runs without anyone else's
// messages; other connections queue in arrival order. A connection that goes away while it owns
// the session has its transaction rolled back before the next one runs, and one that sits idle
// inside a transaction for too long is cut off (like idle_in_transaction_session_timeout), so
// one stuck client cannot hold the database forever.
//
// Session-level state (SET, named prepared statements, session advisory locks) is still shared by
// every connection, as it is one session: the app and its tools use none of it across exchanges
// (Prisma and pg use unnamed statements; migrations run in one process at a time).
//
// LISTEN/NOTIFY is routed here (live updates, docs/decisions/028-live-updates.md): PGlite, being
// one session, puts a NotificationResponse into the answer of whichever exchange committed the
// NOTIFY. Those messages are taken out of that answer and sent to the connections that ran LISTEN
// on the channel (any time: a notification is an asynchronous message in the protocol).
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** Frontend messages after which PGlite answers ReadyForQuery (the end of an exchange). */
const EXCHANGE_END = new Set(["S".charCodeAt(0), "Q".charCodeAt(0), "F".charCodeAt(0)]);
const TERMINATE = "X".charCodeAt(0);
const READY_FOR_QUERY = "Z".charCodeAt(0);
const IDLE = "I".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);
const PARSE = "P".charCodeAt(0);
const NOTIFICATION = "A".charCodeAt(0);

const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

function simpleQuery(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const head = Buffer.alloc(5);
  head[0] = 0x51; // Q
  head.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([head, text]);
}

/** An ErrorResponse the client's driver shows as a normal PostgreSQL error. */
export function errorResponse(severity: "ERROR" | "FATAL", code: string, message: string): Buffer {
  const fields = Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${message}\0\0`, "utf8");
  const head = Buffer.alloc(5);
  head[0] = 0x45; // E
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

export type GatedServerOptions = {
  db: PGlite;
  host: string;
  port: number;
  maxConnections: number;
  /** A connection idle inside a transaction this long is closed and rolled back (0: never). */
  idleInTransactionMs: number;
  log?: (message: string) => void;
};

/** The single PGlite session, lent to one connection at a time, in arrival order. */
class SessionGate {
  private owner: Connection | null = null;
  private readonly waiting: Connection[] = [];

  isOwner(conn: Connection): boolean {
    return this.owner === conn;
  }

  acquire(conn: Connection): Promise<void> {
    if (this.owner === conn) return Promise.resolve();
    if (this.owner === null) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      conn.onGranted = resolve;
      this.waiting.push(conn);
    });
  }

  release(conn: Connection): void {
    if (this.owner !== conn) {
      const i = this.waiting.indexOf(conn);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    const next = this.waiting.shift() ?? null;
    this.owner = next;
    if (next) {
      const granted = next.onGranted;
      next.onGranted = undefined;
      granted?.();
    }
  }

  get queueLength(): number {
    return this.waiting.length;
  }
}

/** Passes a NotificationResponse on to the connections listening on its channel. */
type Notify = (channel: string, message: Buffer) => void;

class Connection {
  onGranted: (() => void) | undefined;
  /** Channels this connection ran LISTEN on (and not UNLISTEN since). */
  readonly channels = new Set<string>();
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];
  private lastType = 0;
  private running = false;
  private closed = false;
  /** Mid-exchange or inside a transaction: the session must not be lent to anyone else. */
  private holding = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly gate: SessionGate,
    private readonly db: PGlite,
    private readonly opts: GatedServerOptions,
    readonly id: number,
    private readonly notify: Notify,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", () => void this.close());
    socket.on("close", () => void this.close());
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.clearIdleTimer();
    try {
      this.split();
    } catch (err) {
      this.opts.log?.(`connection ${this.id}: ${(err as Error).message}`);
      this.socket.destroy();
      return;
    }
    void this.pump();
  }

  /** Cuts the byte stream into whole protocol messages. */
  private split(): void {
    while (!this.closed) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (length < 8 || length > 10_000) throw new Error("bad startup packet");
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const packet = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write("N"); // no encryption on loopback; the client goes on in plain text
        } else if (code === CANCEL_REQUEST) {
          this.socket.end(); // not supported: a query runs to its end
          return;
        } else if (code === PROTOCOL_3) {
          this.started = true;
          this.pending.push(Buffer.from(packet));
        } else {
          throw new Error(`unsupported protocol ${code}`);
        }
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (length < 4) throw new Error("bad message length");
      if (this.buffer.length < length + 1) return;
      this.pending.push(Buffer.from(this.buffer.subarray(0, length + 1)));
      this.buffer = this.buffer.subarray(length + 1);
    }
  }

  /** Runs the queued messages on the session, holding it until the exchange is complete. */
  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && this.pending.length > 0) {
        await this.gate.acquire(this);
        if (this.closed) break;
        // A startup packet is run on its own: PGlite reads nothing after it in the same call.
        const batch =
          this.pending[0]![0] === 0 ? this.pending.splice(0, 1) : this.pending.splice(0);
        if (batch.some((m) => m[0] === TERMINATE)) {
          // Terminate: whatever came before it still runs; then the connection ends.
          const upTo = batch.findIndex((m) => m[0] === TERMINATE);
          if (upTo > 0) await this.execute(batch.slice(0, upTo));
          this.socket.end();
          await this.close();
          return;
        }
        const status = await this.execute(batch);
        const last = batch[batch.length - 1]!;
        const startup = last[0] === 0;
        const exchangeDone = startup || EXCHANGE_END.has(last[0]!);
        this.holding = !(exchangeDone && (status === IDLE || (startup && status === null)));
        if (!this.holding) this.gate.release(this);
        else this.armIdleTimer();
      }
    } finally {
      this.running = false;
    }
  }

  /** Sends the messages to PGlite and their answer to the client; returns the last RFQ status. */
  private async execute(batch: Buffer[]): Promise<number | null> {
    for (const message of batch) trackListen(message, this.channels);
    const chunks: Uint8Array[] = [];
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(Buffer.concat(batch), {
        onRawData: (data) => chunks.push(Uint8Array.from(data)),
      }),
    );
    const { rest: out, notifications } = takeNotifications(Buffer.concat(chunks));
    if (out.length && !this.closed && this.socket.writable) this.socket.write(out);
    for (const n of notifications) this.notify(n.channel, n.message);
    return lastReadyStatus(out);
  }

  /** An asynchronous NotificationResponse for this connection (it ran LISTEN on the channel). */
  deliver(message: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(message);
  }

  private armIdleTimer(): void {
    if (this.closed || this.opts.idleInTransactionMs <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.opts.log?.(
        `connection ${this.id}: idle in a transaction for ${this.opts.idleInTransactionMs} ms, closed`,
      );
      const message = "terminating connection due to idle-in-transaction timeout";
      if (this.socket.writable) this.socket.write(errorResponse("FATAL", "25P03", message));
      this.socket.end();
      void this.close();
    }, this.opts.idleInTransactionMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Ends the connection; if it held the session, its exchange and transaction are undone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    this.pending = [];
    if (!this.gate.isOwner(this)) {
      this.gate.release(this); // leaves the queue
      return;
    }
    try {
      if (this.holding || this.running) await this.reset();
    } catch (err) {
      this.opts.log?.(`connection ${this.id}: reset failed: ${(err as Error).message}`);
    } finally {
      this.gate.release(this);
    }
  }

  /** A Sync ends any half-sent extended exchange; ROLLBACK ends an open transaction. */
  private async reset(): Promise<void> {
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRawStream(SYNC, { onRawData: () => {} });
      if (this.db.isInTransaction()) {
        await this.db.execProtocolRawStream(simpleQuery("ROLLBACK"), { onRawData: () => {} });
      }
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The SQL text of a simple Query or a Parse message, else null. */
function sqlOf(message: Buffer): string | null {
  if (message[0] === QUERY) return message.toString("utf8", 5, message.length - 1);
  if (message[0] === PARSE) {
    const nameEnd = message.indexOf(0, 5);
    const end = message.indexOf(0, nameEnd + 1);
    return nameEnd < 0 || end < 0 ? null : message.toString("utf8", nameEnd + 1, end);
  }
  return null;
}

const LISTEN_RE = /^\s*(UN)?LISTEN\s+(\*|"((?:[^"]|"")+)"|[A-Za-z_][A-Za-z0-9_$]*)\s*;?\s*$/i;

/** Keeps `channels` up to date with the LISTEN / UNLISTEN statements a connection sends. */
export function trackListen(message: Buffer, channels: Set<string>): void {
  const sql = sqlOf(message);
  if (!sql || !/LISTEN/i.test(sql)) return;
  for (const statement of sql.split(";")) {
    const m = LISTEN_RE.exec(statement);
    if (!m) continue;
    const channel = m[3] !== undefined ? m[3].replace(/""/g, '"') : m[2]!.toLowerCase();
    if (!m[1]) channels.add(channel);
    else if (channel === "*") channels.clear();
    else channels.delete(channel);
  }
}

/** Splits the NotificationResponse messages out of a stream of whole backend messages. */
export function takeNotifications(out: Buffer): {
  rest: Buffer;
  notifications: { channel: string; message: Buffer }[];
} {
  const notifications: { channel: string; message: Buffer }[] = [];
  if (!out.includes(NOTIFICATION)) return { rest: out, notifications };
  const kept: Buffer[] = [];
  let at = 0;
  while (at + 5 <= out.length) {
    const length = out.readInt32BE(at + 1);
    const message = out.subarray(at, at + 1 + length);
    if (out[at] === NOTIFICATION && message.length === 1 + length) {
      // Int32 process id, then the channel and the payload as C strings.
      const end = message.indexOf(0, 9);
      notifications.push({
        channel: message.toString("utf8", 9, end),
        message: Buffer.from(message),
      });
    } else kept.push(message);
    at += 1 + length;
  }
  if (at < out.length) kept.push(out.subarray(at));
  return { rest: Buffer.concat(kept), notifications };
}

/** The status byte of the last ReadyForQuery in a stream of whole backend messages. */
export function lastReadyStatus(out: Buffer): number | null {
  let status: number | null = null;
  let at = 0;
  while (at + 5 <= out.length) {
    const type = out[at]!;
    const length = out.readInt32BE(at + 1);
    if (type === READY_FOR_QUERY && length === 5 && at + 6 <= out.length) status = out[at + 5]!;
    at += 1 + length;
  }
  return status;
}

export type GatedServer = {
  port: number;
  /** Connections waiting for the session right now (for tests and diagnostics). */
  queueLength(): number;
  stop(): Promise<void>;
};

export async function startGatedServer(opts: GatedServerOptions): Promise<GatedServer> {
  const gate = new SessionGate();
  const connections = new Set<Connection>();
  let nextId = 1;
  const server: Server = createServer((socket) => {
    if (connections.size >= opts.maxConnections) {
      const message = `sorry, too many clients already (${opts.maxConnections})`;
      socket.end(errorResponse("FATAL", "53300", message));
      return;
    }
    const conn = new Connection(socket, gate, opts.db, opts, nextId++, (channel, message) => {
      for (const c of connections) if (c.channels.has(channel)) c.deliver(message);
    });
    connections.add(conn);
    socket.on("close", () => connections.delete(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    port,
    queueLength: () => gate.queueLength,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const conn of connections) conn.destroy();
      });
      await Promise.all([...connections].map((c) => c.close()));
    },
  };
}
