// Seeds a VALID audit hash chain: events are generated and hashed in Node with the app's own
// computeAuditHash (lib/audit/hash.ts), inserted in id order in multi-row batches while the next
// batch is hashed. Timestamps are strictly increasing and in the past, so the events recorded
// later by the app (clock_timestamp) continue the chain naturally.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { GENESIS_HASH, computeAuditHash, type AuditHashFields } from "../../lib/audit/hash";
import { prng } from "../../prisma/prng";
import { REQUESTERS, TECHNICIANS } from "./seed-sql";
import { AUDIT_SEAL_LOCK_KEY } from "../../lib/audit/seal";

/** Same as idSql(prefix, key) in seed-sql.ts: the bench's deterministic cuid-length ids. */
export function benchId(prefix: string, key: string | number): string {
  return `c${createHash("md5").update(`${prefix}${key}`).digest("hex").slice(0, 24)}`;
}

/** One seeded event: every hashed field except the chain link, which is added in id order. */
type Row = Omit<AuditHashFields, "prevHash">;

const AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
  "Mozilla/5.0 (Linux; Android 15; Pixel 7) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
];
type Actor = { id: string; role: string; email: string };
type Event = Pick<
  Row,
  "action" | "entityType" | "entityId" | "outcome" | "before" | "after" | "metadata"
> & {
  actor: Actor | null;
};

/** Emails as seedPeople writes them (lower-cased prefix + number). */
const actor = (prefix: string, k: number, role: string): Actor => ({
  id: benchId(prefix, k),
  role,
  email: `${prefix}${k}@bench.tessera.test`,
});

function ev(
  who: Actor | null,
  action: string,
  entityType: string,
  entityId: string | null,
  extra: Partial<Pick<Row, "outcome" | "before" | "after" | "metadata">> = {},
): Event {
  return {
    actor: who,
    action,
    entityType,
    entityId,
    outcome: "SUCCESS",
    before: null,
    after: null,
    metadata: null,
    ...extra,
  };
}

const STATUSES = ["OPEN", "IN_PROGRESS", "ON_HOLD", "RESOLVED", "CLOSED"];

export type AuditSeedResult = {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  hashSeconds: number;
};

export async function seedAudit(
  url: string,
  count: number,
  tickets: number,
  log: (line: string) => void,
): Promise<AuditSeedResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    // The sealer's lock: nobody else may chain events while we write sealed ones.
    await client.query("SELECT pg_advisory_lock($1)", [AUDIT_SEAL_LOCK_KEY.toString()]);
    const head = await client.query<{ id: string; hash: string }>(
      `SELECT "id"::text, "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1`,
    );
    if (head.rows.length > 0)
      throw new Error("AuditEvent is not empty: refusing to seed the chain");
    const rand = prng(7);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const ip = () =>
      `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 254) + 1}`;

    const now = Date.now() - 60_000;
    const span = 3 * 365 * 86_400_000;
    const step = span / count;
    let prev = GENESIS_HASH;
    let id = 0;
    let hashMs = 0;
    const started = performance.now();

    const makeBatch = (size: number) => {
      const t0 = performance.now();
      const cols: string[][] = Array.from({ length: 17 }, () => []);
      for (let i = 0; i < size; i++) {
        id += 1;
        const createdAt = new Date(Math.floor(now - span + id * step));
        const r = rand();
        const u = Math.floor(rand() * REQUESTERS);
        const tc = Math.floor(rand() * TECHNICIANS);
        const requester = actor("bench-user-", u + 1, "USER");
        const tech = actor("bench-tech-", tc + 1, "TECHNICIAN");
        const admin = actor("bench-admin-", 1, "ADMIN");
        const ticket = () => benchId("bench-ticket-", Math.floor(rand() * tickets) + 1);
        const e: Event =
          r < 0.35
            ? ev(requester, "ticket.create", "Ticket", ticket(), {
                after: { status: "NEW", priority: "MEDIUM", title: "Printer jam on floor 3" },
              })
            : r < 0.55
              ? ev(tech, "ticket.status", "Ticket", ticket(), {
                  before: { status: pick(STATUSES) },
                  after: { status: pick(STATUSES) },
                })
              : r < 0.67
                ? ev(tech, "ticket.assign", "Ticket", ticket(), {
                    before: { assigneeId: null },
                    after: { assigneeId: tech.id, status: "OPEN" },
                  })
                : r < 0.77
                  ? ev(pick([tech, requester]), "ticket.reply", "Ticket", ticket(), {
                      metadata: { commentId: randomBytes(12).toString("hex") },
                    })
                  : r < 0.79
                    ? ev(tech, "ticket.note", "Ticket", ticket(), {
                        metadata: { commentId: randomBytes(12).toString("hex") },
                      })
                    : r < 0.94
                      ? ev(requester, "auth.sign_in", "User", requester.id, {
                          metadata: { email: requester.email },
                        })
                      : r < 0.975
                        ? ev(null, "auth.sign_in", "User", null, {
                            outcome: "FAILED",
                            metadata: { email: requester.email, reason: "invalid_credentials" },
                          })
                        : r < 0.99
                          ? ev(requester, "ticket.status", "Action", null, {
                              outcome: "REFUSED",
                              metadata: { reason: "forbidden" },
                            })
                          : ev(admin, "user.update", "User", requester.id, {
                              before: { active: true },
                              after: { active: rand() < 0.5 },
                            });
        const row: Row = {
          createdAt,
          actorId: e.actor?.id ?? null,
          actorRole: e.actor?.role ?? null,
          actorEmail: e.actor?.email ?? null,
          action: e.action,
          entityType: e.entityType,
          entityId: e.entityId,
          outcome: e.outcome,
          before: e.before,
          after: e.after,
          metadata: e.metadata,
          ip: ip(),
          userAgent: pick(AGENTS),
          requestId: randomBytes(8).toString("hex"),
        };
        const hash = computeAuditHash({ ...row, prevHash: prev });
        const values = [
          String(id),
          row.createdAt.toISOString(),
          row.actorId,
          row.actorRole,
          row.actorEmail,
          row.action,
          row.entityType,
          row.entityId,
          row.outcome,
          row.before === null ? null : JSON.stringify(row.before),
          row.after === null ? null : JSON.stringify(row.after),
          row.metadata === null ? null : JSON.stringify(row.metadata),
          row.ip,
          row.userAgent,
          row.requestId,
          prev,
          hash,
        ];
        values.forEach((v, c) => cols[c]!.push(v as string));
        prev = hash;
      }
      hashMs += performance.now() - t0;
      return cols;
    };

    const batch = 5000;
    let pending: Promise<unknown> = Promise.resolve();
    for (let done = 0; done < count;) {
      const size = Math.min(batch, count - done);
      const cols = makeBatch(size); // hash the next batch while the previous one is inserted
      await pending;
      pending = client.query(
        `INSERT INTO "AuditEvent" ("id", "createdAt", "actorId", "actorRole", "actorEmail", "action",
           "entityType", "entityId", "outcome", "before", "after", "metadata", "ip", "userAgent",
           "requestId", "prevHash", "hash", "seq")
         SELECT u.id, u.c, u.a, u.r::"Role", u.e, u.act, u.et, u.eid, u.o::"AuditOutcome",
           u.b::jsonb, u.af::jsonb, u.m::jsonb, u.ip, u.ua, u.rq, u.ph, u.h, u.id
         FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
           $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
           $14::text[], $15::text[], $16::text[], $17::text[])
           AS u(id, c, a, r, e, act, et, eid, o, b, af, m, ip, ua, rq, ph, h)
         ORDER BY u.id`,
        cols,
      );
      done += size;
      if (done % 100_000 === 0 || done === count) log(`  audit events ${done}/${count}`);
    }
    await pending;
    await client.query(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'id'), $1::bigint)`, [
      String(id),
    ]);
    await client.query(`VACUUM ANALYZE "AuditEvent"`);
    const seconds = (performance.now() - started) / 1000;
    return {
      rows: count,
      seconds: +seconds.toFixed(1),
      rowsPerSecond: Math.round(count / seconds),
      hashSeconds: +(hashMs / 1000).toFixed(1),
    };
  } finally {
    await client.end();
  }
}
