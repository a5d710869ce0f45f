import "server-only";
import { connect, type Socket } from "node:net";
import type { Readable } from "node:stream";

// Optional virus scanning with ClamAV: a clamd reachable over TCP (TESSERA_CLAMAV_URL, e.g.
// tcp://127.0.0.1:3310; unset = no scanning). Files are streamed to clamd's INSTREAM command.
//
// A tiny INSTREAM client rather than the `clamscan` package (2.4.0): its scanStream writes to the
// socket without honouring backpressure (a fast upload piles up in memory), prints to
// console.error on stream errors, does not close the socket when the input fails, and its init()
// probes for local clamscan/clamdscan binaries the server does not need. The protocol is small:
// "zINSTREAM\0", then <uint32 big-endian length><bytes> chunks, then a zero length; clamd answers
// "stream: OK", "stream: <signature> FOUND" or "<reason> ERROR", NUL-terminated.

export type ScanResult = { clean: true } | { clean: false; signature: string };

export interface Scanner {
  /** Consumes the stream. Throws ScannerUnavailableError when clamd cannot be reached or drops
   * the connection, ScanRefusedError when it answers with an error (e.g. over its size limit),
   * or the stream's own error if the stream fails. The caller keeps the file quarantined then. */
  scan(stream: Readable): Promise<ScanResult>;
}

export class ScannerError extends Error {}

export class ScannerUnavailableError extends ScannerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ScannerUnavailableError";
  }
}

export class ScanRefusedError extends ScannerError {
  constructor(readonly reply: string) {
    super(`clamd could not scan the file: ${reply}`);
    this.name = "ScanRefusedError";
  }
}

export type ClamavOptions = {
  host: string;
  port: number;
  /** Connect timeout, and the longest clamd may stay silent (scanning) before we give up. */
  timeoutMs?: number;
};

export function parseClamavUrl(raw: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error("TESSERA_CLAMAV_URL is not a URL (expected tcp://host:port)");
  }
  const port = Number(url.port);
  if (url.protocol !== "tcp:" || !url.hostname || !Number.isInteger(port) || port < 1) {
    throw new Error("TESSERA_CLAMAV_URL must look like tcp://host:port");
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port };
}

/** The scanner TESSERA_CLAMAV_URL names, or null when scanning is off. */
export function scannerFromEnv(
  env: Record<string, string | undefined> = process.env,
): Scanner | null {
  const raw = env.TESSERA_CLAMAV_URL;
  return raw ? createClamavScanner(parseClamavUrl(raw)) : null;
}

export function createClamavScanner(options: ClamavOptions): Scanner {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    async scan(stream) {
      const socket = await open(options.host, options.port, timeoutMs);
      const reply = readReply(socket, timeoutMs);
      let answered = false;
      reply.then(
        () => (answered = true),
        () => (answered = true),
      );
      try {
        socket.write("zINSTREAM\0");
        for await (const chunk of stream) {
          // clamd answers early (and closes) e.g. when the stream exceeds StreamMaxLength.
          if (answered || socket.destroyed) break;
          const data = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
          if (data.length === 0) continue; // a zero length would end the stream
          const header = Buffer.alloc(4);
          header.writeUInt32BE(data.length);
          socket.write(header);
          if (!socket.write(data)) await drained(socket);
        }
        if (!answered && !socket.destroyed) socket.write(Buffer.alloc(4));
      } catch (err) {
        socket.destroy();
        await reply.catch(() => {});
        throw err; // the stream failed (or was destroyed): not the scanner's fault
      }
      const text = await reply;
      socket.destroy();
      if (text === "stream: OK") return { clean: true };
      const found = /^stream: (.+) FOUND$/.exec(text);
      if (found?.[1]) return { clean: false, signature: found[1] };
      throw new ScanRefusedError(text);
    },
  };
}

function open(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (err: Error) => {
      socket.destroy();
      reject(
        new ScannerUnavailableError(`clamd at ${host}:${port} is unreachable`, { cause: err }),
      );
    };
    const onTimeout = () => fail(new Error(`no connection within ${timeoutMs} ms`));
    socket.setTimeout(timeoutMs, onTimeout);
    socket.once("error", fail);
    socket.once("connect", () => {
      socket.off("error", fail);
      socket.off("timeout", onTimeout);
      resolve(socket);
    });
  });
}

/** clamd's NUL-terminated answer; rejects if the connection fails or goes silent first. */
function readReply(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const end = text.indexOf("\0");
      if (end >= 0) resolve(text.slice(0, end).trim());
      else if (text.trim()) resolve(text.trim());
      else reject(new ScannerUnavailableError("clamd closed the connection without an answer"));
    };
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new ScannerUnavailableError(`clamd did not answer within ${timeoutMs} ms`));
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunk.includes(0)) finish();
    });
    // A write after clamd closed (EPIPE, ECONNRESET): whatever it answered before still counts.
    socket.on("error", () => {});
    socket.on("close", finish);
  });
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}
