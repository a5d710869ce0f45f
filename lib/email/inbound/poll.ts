// Polling one IMAP mailbox for inbound mail (issue 14 §3): connect, lock and open the folder,
// list the messages not yet processed, download each one (bounded), hand its raw bytes to
// `handle` and, only once it answered "done", apply the configured processed action. Without
// "server-only" and with its dependencies as arguments (like lib/outbox), so it runs in the
// background loop and in tests alike.
//
// Delivery is at least once: a crash (or a lost connection) between `handle` and the flag means
// the message is handed over again on the next poll. Exactly once is the handler's job
// (lib/email/inbound/process.ts dedupes by Message-ID or hash in PostgreSQL). IMAP has no lock a
// second client must respect, so two pollers running at the same moment on one mailbox can both
// hand over the same message; the job serialises pollers per mailbox (an advisory lock) and the
// handler's dedupe absorbs the rest. Before downloading, the poller re-reads the message's flags
// and skips it when another session finished it meanwhile, which narrows that window.
//
// Messages above maxBytes are never downloaded (their size is read first). They are left in the
// folder, flagged \Flagged plus the keyword $TesseraTooLarge, and later polls leave out messages
// with that keyword, so each is reported once (`skippedTooLarge`, `tooLarge`), not fetched on
// every poll. A server that does not accept keywords (PERMANENTFLAGS without \*) gets \Flagged
// only: the message is then skipped by its size, and reported, on every poll, still without
// being downloaded. Removing the keyword (in any mail client) makes the next poll try again.
import { ImapFlow, type MailboxObject } from "imapflow";

export type ProcessedAction =
  { action: "seen" } | { action: "move"; folder: string } | { action: "delete" };

export type PollOptions = {
  host: string;
  port: number;
  /** TLS from the first byte (993). false: plain, upgraded with STARTTLS when offered. */
  secure: boolean;
  user: string;
  password?: string;
  /** OAuth2 access token (SASL XOAUTH2), instead of a password. */
  accessToken?: string;
  folder: string;
  processed: ProcessedAction;
  /** Messages handed over per poll, oldest first (default 50). */
  maxMessages?: number;
  /** Larger messages are skipped and reported, never downloaded (default 25 MiB). */
  maxBytes?: number;
  /** The whole poll, connection to logout (default 120 s). */
  timeoutMs?: number;
};

export type MessageMeta = { uid: number; uidValidity: bigint; folder: string; size: number };
export type HandleResult = "done" | "retry";

export type PollResult = {
  /** Messages downloaded and handed to `handle`. */
  fetched: number;
  done: number;
  retried: number;
  skippedTooLarge: number;
  /** The messages counted in skippedTooLarge, for the caller's log. */
  tooLarge: { uid: number; size: number }[];
};

export type PollErrorKind = "auth" | "connection" | "timeout" | "mailbox" | "protocol";

/** Why a poll failed, with a message fit for the admin page and the log (no secrets). */
export class MailboxPollError extends Error {
  constructor(
    message: string,
    readonly kind: PollErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MailboxPollError";
  }
}

export const TOO_LARGE_KEYWORD = "$TesseraTooLarge";
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_MESSAGES = 50;
export const DEFAULT_POLL_TIMEOUT_MS = 120_000;

class TooLargeError extends Error {}

/** Node's socket and DNS codes and imapflow's connection codes: the server was not reachable. */
const CONNECTION_CODES =
  /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EPIPE|NoConnection|EConnectionClosed|ClosedAfterConnect\w*|CONNECT_TIMEOUT|GREETING_TIMEOUT|UPGRADE_TIMEOUT|ETIMEOUT)$/;

export async function pollMailbox(
  options: PollOptions,
  handle: (raw: Buffer, meta: MessageMeta) => Promise<HandleResult>,
): Promise<PollResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
  if (!options.password && !options.accessToken) {
    throw new MailboxPollError("IMAP: a password or an OAuth2 access token is required", "auth");
  }
  if (options.processed.action === "move" && options.processed.folder === options.folder) {
    throw new MailboxPollError(
      "IMAP: processed mail cannot be moved to the polled folder",
      "mailbox",
    );
  }
  for (const [name, value] of [
    ["maxBytes", maxBytes],
    ["maxMessages", maxMessages],
    ["timeoutMs", timeoutMs],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new MailboxPollError(`IMAP: ${name} must be a positive integer`, "protocol");
    }
  }

  const where = `${options.host}:${options.port}`;
  const client = new ImapFlow({
    host: options.host,
    port: options.port,
    secure: options.secure,
    auth: options.accessToken
      ? { user: options.user, accessToken: options.accessToken }
      : { user: options.user, pass: options.password ?? "" },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: Math.min(timeoutMs, 30_000),
    greetingTimeout: Math.min(timeoutMs, 15_000),
    socketTimeout: Math.min(timeoutMs, 60_000),
  });
  // Failures surface through the awaited commands; an unhandled 'error' event would crash.
  client.on("error", () => {});

  let timedOut = false;
  // The handler's own exception is passed through as it is, not described as an IMAP error.
  let handlerError: unknown;
  const timeoutError = (cause?: unknown) =>
    new MailboxPollError(`IMAP ${where}: the poll timed out after ${timeoutMs} ms`, "timeout", {
      cause,
    });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      // Closing the socket rejects whatever command is pending.
      client.close();
      reject(timeoutError());
    }, timeoutMs);
  });
  // A handler still running at the deadline is not awaited; its late "done" is dropped and the
  // message comes again next poll.
  deadline.catch(() => {});

  try {
    return await Promise.race([run(), deadline]);
  } catch (err) {
    if (err === handlerError) throw err;
    if (timedOut) throw timeoutError(err);
    throw explain(err, where, options.user);
  } finally {
    clearTimeout(timer);
    client.close(); // no-op after a logout
  }

  async function run(): Promise<PollResult> {
    const result: PollResult = {
      fetched: 0,
      done: 0,
      retried: 0,
      skippedTooLarge: 0,
      tooLarge: [],
    };
    await client.connect();
    const lock = await client.getMailboxLock(options.folder);
    try {
      const mailbox = client.mailbox as MailboxObject;
      const uidValidity = BigInt(mailbox.uidValidity);
      const keywords = mailbox.permanentFlags?.has("\\*") ?? false;
      const found = await client.search(
        {
          deleted: false,
          ...(options.processed.action === "seen" ? { seen: false } : {}),
          ...(keywords ? { unKeyword: TOO_LARGE_KEYWORD } : {}),
        },
        { uid: true },
      );
      const uids = (found || []).sort((a, b) => a - b).slice(0, maxMessages);
      if (uids.length === 0) return result;

      const sizes = new Map<number, number>();
      for (const msg of await client.fetchAll(
        uids.join(","),
        { uid: true, size: true },
        { uid: true },
      )) {
        if (msg.uid && msg.size !== undefined) sizes.set(msg.uid, msg.size);
      }
      let targetReady = false;
      for (const uid of uids) {
        const size = sizes.get(uid);
        if (size === undefined) continue; // expunged by another session since the search
        if (size > maxBytes) {
          await markTooLarge(uid, keywords);
          result.skippedTooLarge++;
          result.tooLarge.push({ uid, size });
          continue;
        }
        if (await finishedElsewhere(uid)) continue;
        let raw: Buffer | null;
        try {
          raw = await download(uid);
        } catch (err) {
          if (!(err instanceof TooLargeError)) throw err;
          // RFC822.SIZE understated the message: the same treatment as an announced large one.
          await markTooLarge(uid, keywords);
          result.skippedTooLarge++;
          result.tooLarge.push({ uid, size });
          continue;
        }
        if (!raw) continue; // gone meanwhile
        result.fetched++;
        let answer: HandleResult;
        try {
          answer = await handle(raw, {
            uid,
            uidValidity,
            folder: options.folder,
            size: raw.length,
          });
        } catch (err) {
          handlerError = err;
          throw err;
        }
        if (timedOut) break;
        if (answer !== "done") {
          result.retried++;
          continue;
        }
        const processed = options.processed;
        if (processed.action === "seen") {
          await expectOk(
            client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true }),
            uid,
            "flag as \\Seen",
          );
        } else if (processed.action === "move") {
          if (!targetReady) {
            // Creating an existing mailbox answers ALREADYEXISTS, which imapflow reports as
            // created: false rather than an error.
            await client.mailboxCreate(processed.folder);
            targetReady = true;
          }
          await expectOk(
            client.messageMove(String(uid), processed.folder, { uid: true }),
            uid,
            `move to ${processed.folder}`,
          );
        } else {
          // \Deleted, then UID EXPUNGE of this message (UIDPLUS; dovecot, Gmail, Exchange have it).
          await expectOk(client.messageDelete(String(uid), { uid: true }), uid, "delete");
        }
        result.done++;
      }
      return result;
    } finally {
      lock.release();
      if (!timedOut && client.usable) await client.logout().catch(() => {});
    }
  }

  async function markTooLarge(uid: number, keywords: boolean): Promise<void> {
    const flags = keywords ? ["\\Flagged", TOO_LARGE_KEYWORD] : ["\\Flagged"];
    await client.messageFlagsAdd(String(uid), flags, { uid: true });
  }

  /** True when the message was processed by another session since our search. */
  async function finishedElsewhere(uid: number): Promise<boolean> {
    const msg = await client.fetchOne(String(uid), { uid: true, flags: true }, { uid: true });
    if (!msg) return true; // expunged (moved or deleted)
    const flags = msg.flags ?? new Set<string>();
    if (flags.has("\\Deleted")) return true;
    return options.processed.action === "seen" && flags.has("\\Seen");
  }

  /** The full message, read in chunks; null when it is gone, TooLargeError past maxBytes. */
  async function download(uid: number): Promise<Buffer | null> {
    const { content } = await client.download(String(uid), undefined, {
      uid: true,
      maxBytes: maxBytes + 1,
      chunkSize: 256 * 1024,
    });
    if (!content) return null;
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of content as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) {
          content.destroy();
          throw new TooLargeError();
        }
        chunks.push(chunk);
      }
    } catch (err) {
      // imapflow's own bound (maxBytes + 1 above) ends the stream with DownloadOverflow.
      if ((err as { code?: string }).code === "DownloadOverflow") throw new TooLargeError();
      throw err;
    }
    return Buffer.concat(chunks, total);
  }
}

async function expectOk(op: Promise<unknown>, uid: number, what: string): Promise<void> {
  if ((await op) === false) {
    throw new MailboxPollError(`IMAP: could not ${what} message ${uid}`, "mailbox");
  }
}

function explain(err: unknown, where: string, user: string): Error {
  if (err instanceof MailboxPollError) return err;
  const e = err as Error & {
    authenticationFailed?: boolean;
    responseText?: string;
    serverResponseCode?: string;
    code?: string;
  };
  // Without dovecot's timing suffix, "(0.001 + 0.000 secs)."
  const detail = (e.responseText || e.message || String(err)).replace(
    /\s*\([\d.+ ]+secs\)\.?$/,
    "",
  );
  if (e.authenticationFailed) {
    return new MailboxPollError(`IMAP ${where}: login failed for ${user} (${detail})`, "auth", {
      cause: err,
    });
  }
  if (
    e.serverResponseCode === "NONEXISTENT" ||
    /mailbox doesn't exist|unknown mailbox/i.test(detail)
  ) {
    return new MailboxPollError(`IMAP ${where}: ${detail}`, "mailbox", { cause: err });
  }
  if (e.code && CONNECTION_CODES.test(e.code)) {
    return new MailboxPollError(
      `IMAP ${where}: could not connect (${e.code}: ${e.message})`,
      "connection",
      {
        cause: err,
      },
    );
  }
  return new MailboxPollError(`IMAP ${where}: ${detail}`, "protocol", { cause: err });
}
