// Anchors: signed copies of the chain head kept where rewriting the database cannot reach them
// (ADR 004, revised). Someone who can write the AuditEvent table can recompute every hash after
// an edit, or delete the newest rows, and the chain alone would still verify; an anchor
// (seq, hash, HMAC under a key derived from AUTH_SECRET, which the database never holds) written
// to the data directory and sent to the SIEM exposes both. Script-safe (no "server-only").
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Db } from "@/lib/db";
import { authSecretKey, hmacHex, safeEqual } from "@/lib/auth/server-keys";
import type { ChainHead } from "@/lib/audit/seal";

export type Anchor = { seq: bigint; hash: string; mac: string; at: string };

/**
 * Which database an anchor belongs to: its oid in the cluster, which the tables' owner cannot
 * change. Part of the MAC, so a file shared by several databases (tests, or a mistake) only
 * ever speaks about its own. A restore into a new database starts a new series.
 */
export async function databaseIdentity(db: Pick<Db, "$queryRaw">): Promise<string> {
  const [row] = await db.$queryRaw<{ id: string }[]>`
    SELECT oid::text AS id FROM pg_database WHERE datname = current_database()`;
  if (!row) throw new Error("cannot read the database's identity");
  return row.id;
}

export function anchorMac(database: string, seq: bigint, hash: string, secret?: string): string {
  return hmacHex(authSecretKey("audit-anchor", secret), `${database}:${seq}:${hash}`);
}

export function anchorIsGenuine(
  database: string,
  anchor: Pick<Anchor, "seq" | "hash" | "mac">,
  secret?: string,
) {
  return safeEqual(anchor.mac, anchorMac(database, anchor.seq, anchor.hash, secret));
}

/** The anchor file: TESSERA_AUDIT_ANCHOR_FILE, else audit-anchors.jsonl in the data directory. */
export function anchorFile(): string {
  return resolve(
    process.env.TESSERA_AUDIT_ANCHOR_FILE ||
      `${process.env.TESSERA_DATA_DIR || ".data"}/audit-anchors.jsonl`,
  );
}

/**
 * Records `head` as an anchor: a row in AuditAnchor (verified = a checkpoint the next
 * verification may start from) and a line in the anchor file. Returns the anchor, for the
 * caller to send on (the security outbox).
 */
export async function writeAnchor(
  db: Pick<Db, "auditAnchor" | "$queryRaw">,
  head: ChainHead,
  options: { verified?: boolean; file?: string; secret?: string } = {},
): Promise<Anchor> {
  const database = await databaseIdentity(db);
  const mac = anchorMac(database, head.seq, head.hash, options.secret);
  const row = await db.auditAnchor.create({
    data: { seq: head.seq, hash: head.hash, mac, verified: options.verified ?? false },
    select: { createdAt: true },
  });
  const anchor = { seq: head.seq, hash: head.hash, mac, at: row.createdAt.toISOString() };
  const file = options.file ?? anchorFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(
    file,
    `${JSON.stringify({ ...anchor, database, seq: anchor.seq.toString(), verified: options.verified ?? false })}\n`,
    { mode: 0o600 },
  );
  return anchor;
}

/** The genuine anchors of `database` in the file (its last 256 KB), newest last. */
export function readAnchorFile(database: string, file = anchorFile(), secret?: string): Anchor[] {
  let text: string;
  try {
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 262_144);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      text = buffer.toString("utf8"); // a line cut at the start fails to parse and is skipped
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  const anchors: Anchor[] = [];
  for (const line of text.split("\n")) {
    try {
      const parsed = JSON.parse(line) as { seq: string; hash: string; mac: string; at: string };
      const anchor = { seq: BigInt(parsed.seq), hash: parsed.hash, mac: parsed.mac, at: parsed.at };
      if (typeof anchor.hash === "string" && anchorIsGenuine(database, anchor, secret))
        anchors.push(anchor);
    } catch {
      // a torn or foreign line: not an anchor
    }
  }
  return anchors;
}
