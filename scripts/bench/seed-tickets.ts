// Seeds users, categories, tickets and comments into the bench database, in chunks generated
// inside PostgreSQL by two workers. For the bulk load the two search-vector triggers are disabled
// (never the AuditEvent append-only ones) and the vectors are computed set-based, in the INSERT,
// exactly as the triggers would have built them; secondary indexes are dropped and rebuilt
// afterwards from their saved definitions. verifyVectorsAgainstTriggers() proves the equivalence.
import bcrypt from "bcryptjs";
import pg from "pg";
import { FIRST_NAMES, LAST_NAMES, RARE } from "./words";
import { SENTENCE_POOL, TITLE_POOL, loadTextPools } from "./text";
import {
  COMMENT_INSERT,
  COMMENT_ROWS,
  REQUESTERS,
  TECHNICIANS,
  TICKET_INSERT,
  TICKET_ROWS,
  TICKET_TEXT,
  idSql,
} from "./seed-sql";

export const CATEGORY_NAMES = ["Hardware", "Software", "Network", "Access & accounts", "Other"];
const TRIGGERS = [
  { table: "Ticket", name: "Ticket_search_vector" },
  { table: "TicketComment", name: "TicketComment_search" },
];
const SPAN_MS = 3 * 365 * 86_400_000; // tickets spread over three years
const CHUNK = 25_000;

export type TableRate = { table: string; rows: number; seconds: number; rowsPerSecond: number };
export type TicketSeedResult = { rates: TableRate[]; phases: Record<string, number> };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Bulk-load session settings only (nothing server-wide is changed).
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '256MB'");
  await client.query("SET work_mem = '64MB'");
  return client;
}

const rate = (table: string, rows: number, ms: number): TableRate => ({
  table,
  rows,
  seconds: +(ms / 1000).toFixed(1),
  rowsPerSecond: Math.round(rows / (ms / 1000)),
});

async function seedPeople(client: pg.Client): Promise<{ users: number; ms: number }> {
  const started = performance.now();
  // One real bcrypt hash shared by everyone: the bench signs in by minting session cookies.
  const hash = bcrypt.hashSync(`bench-${Math.random()}`, 10);
  const roles: [string, string, number][] = [
    ["bench-user-", "USER", REQUESTERS],
    ["bench-tech-", "TECHNICIAN", TECHNICIANS],
    ["bench-admin-", "ADMIN", 2],
  ];
  let users = 0;
  for (const [prefix, role, count] of roles) {
    const res = await client.query(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt")
       SELECT ${idSql(prefix, "k")}, lower($1 || k || '@bench.tessera.test'),
         ($2::text[])[1 + k % cardinality($2::text[])] || ' ' || ($3::text[])[1 + (k / 7) % cardinality($3::text[])],
         $4, $5::"Role", now()
       FROM generate_series(1, $6::int) k`,
      [prefix, FIRST_NAMES, LAST_NAMES, hash, role, count],
    );
    users += res.rowCount ?? 0;
  }
  for (const [i, name] of CATEGORY_NAMES.entries()) {
    await client.query(
      `INSERT INTO "Category" ("id", "name", "position", "updatedAt")
       VALUES (${idSql("bench-cat-", "$1::text")}, $2, $3, now())`,
      [String(i + 1), name, i],
    );
  }
  return { users, ms: performance.now() - started };
}

type SavedIndex = { name: string; def: string };

export async function dropSecondaryIndexes(client: pg.Client): Promise<SavedIndex[]> {
  const { rows } = await client.query<SavedIndex>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     WHERE i.indrelid IN ('"Ticket"'::regclass, '"TicketComment"'::regclass)
       AND NOT i.indisprimary AND NOT i.indisunique`,
  );
  for (const index of rows) await client.query(`DROP INDEX ${index.name}`);
  return rows;
}

/** Rebuilds the dropped indexes on two connections, biggest (GIN) first. */
export async function rebuildIndexes(url: string, saved: SavedIndex[]): Promise<void> {
  const queue = [...saved].sort(
    (a, b) => Number(b.def.includes("gin")) - Number(a.def.includes("gin")),
  );
  await Promise.all(
    [0, 1].map(async () => {
      const client = await connect(url);
      try {
        for (let next = queue.shift(); next; next = queue.shift()) await client.query(next.def);
      } finally {
        await client.end();
      }
    }),
  );
}

export async function seedTickets(
  url: string,
  tickets: number,
  log: (line: string) => void,
): Promise<TicketSeedResult> {
  const phases: Record<string, number> = {};
  const client = await connect(url);
  const saved: SavedIndex[] = [];
  try {
    const people = await seedPeople(client);
    phases.people = people.ms;
    let t = performance.now();
    await loadTextPools(client);
    await client.query(`CREATE AGGREGATE bench_tsvector_agg(tsvector)
      (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')`);
    phases.textPools = performance.now() - t;
    for (const trg of TRIGGERS) {
      await client.query(`ALTER TABLE "${trg.table}" DISABLE TRIGGER "${trg.name}"`);
    }
    saved.push(...(await dropSecondaryIndexes(client)));
    log(
      `  ${people.users} users, ${CATEGORY_NAMES.length} categories; dropped ${saved.length} indexes for the load`,
    );

    const categoryIds = CATEGORY_NAMES.map((_, i) => i + 1);
    const { rows: cats } = await client.query<{ id: string }>(
      `SELECT ${idSql("bench-cat-", "k::text")} AS id FROM unnest($1::int[]) WITH ORDINALITY AS u(k, o) ORDER BY o`,
      [categoryIds],
    );
    const now = new Date();
    const start = new Date(now.getTime() - SPAN_MS - 3_600_000);
    const heavy = Math.max(1, tickets - 50);
    const chunks: [number, number][] = [];
    for (let lo = 1; lo <= tickets; lo += CHUNK)
      chunks.push([lo, Math.min(lo + CHUNK - 1, tickets)]);
    let comments = 0;
    let done = 0;
    t = performance.now();
    await Promise.all(
      [0, 1].map(async () => {
        const worker = await connect(url);
        try {
          for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
            const timings: number[] = [];
            let mark = performance.now();
            const lap = () => {
              const at = performance.now();
              timings.push(Math.round(at - mark));
              mark = at;
            };
            await worker.query("BEGIN");
            await worker.query(TICKET_ROWS, [
              chunk[0],
              chunk[1],
              tickets,
              start.toISOString(),
              SPAN_MS / tickets,
              now.toISOString(),
              cats.map((c) => c.id),
              RARE,
              heavy,
              SENTENCE_POOL,
              TITLE_POOL,
            ]);
            lap();
            await worker.query(TICKET_TEXT, [now.toISOString()]);
            lap();
            await worker.query(COMMENT_ROWS, [SENTENCE_POOL]);
            lap();
            await worker.query(TICKET_INSERT);
            lap();
            const res = await worker.query(COMMENT_INSERT);
            lap();
            await worker.query("COMMIT");
            lap();
            if (process.env.BENCH_DEBUG)
              log(
                `  chunk ms (rows, text, comments, tickets, insert comments, commit): ${timings.join(", ")}`,
              );
            comments += res.rowCount ?? 0;
            done += chunk[1] - chunk[0] + 1;
            const secs = (performance.now() - t) / 1000;
            log(
              `  tickets ${done}/${tickets}, comments ${comments} (${Math.round(done / secs)} tickets/s)`,
            );
          }
        } finally {
          await worker.end();
        }
      }),
    );
    phases.load = performance.now() - t;
    t = performance.now();
    log(`  rebuilding ${saved.length} indexes`);
    await rebuildIndexes(url, saved.splice(0));
    phases.indexes = performance.now() - t;
    await client.query(`SELECT setval(pg_get_serial_sequence('"Ticket"', 'number'), $1::int)`, [
      tickets,
    ]);
    t = performance.now();
    await client.query(`VACUUM ANALYZE "User", "Category", "Ticket", "TicketComment"`);
    phases.analyze = performance.now() - t;
    const loadAndIndex = phases.load + phases.indexes;
    return {
      rates: [
        rate("User", people.users, people.ms),
        rate("Ticket (with comments, vectors, indexes)", tickets, loadAndIndex),
        rate("TicketComment (same run)", comments, loadAndIndex),
        rate(
          "Ticket + TicketComment rows (load only, before index build)",
          tickets + comments,
          phases.load,
        ),
      ],
      phases,
    };
  } finally {
    if (saved.length > 0) await rebuildIndexes(url, saved).catch(() => {});
    for (const trg of TRIGGERS) {
      await client.query(`ALTER TABLE "${trg.table}" ENABLE TRIGGER "${trg.name}"`).catch(() => {});
    }
    await client.query("DROP AGGREGATE IF EXISTS bench_tsvector_agg(tsvector)").catch(() => {});
    await client.query("DROP TABLE IF EXISTS bench_sentence, bench_title").catch(() => {});
    await client.end();
  }
}

/**
 * Replays `sample` seeded tickets through the REAL triggers (copy the ticket, then insert its
 * comments one by one in order) inside a transaction that is rolled back, and compares both
 * vectors with the seeded ones. Returns the number of mismatches (0 expected).
 */
export async function verifyVectorsAgainstTriggers(url: string, sample = 40): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let mismatches = 0;
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT t."id" FROM "Ticket" t
       WHERE EXISTS (SELECT 1 FROM "TicketComment" c WHERE c."ticketId" = t."id" AND c."internal")
       ORDER BY md5(t."id") LIMIT $1`,
      [sample],
    );
    await client.query("BEGIN");
    for (const { id } of rows) {
      const copy = `verify-${id}`;
      await client.query(
        `INSERT INTO "Ticket" ("id", "title", "description", "categoryId", "requesterId", "updatedAt")
         SELECT $2, "title", "description", "categoryId", "requesterId", now() FROM "Ticket" WHERE "id" = $1`,
        [id, copy],
      );
      const { rows: comments } = await client.query<{ id: string }>(
        `SELECT "id" FROM "TicketComment" WHERE "ticketId" = $1 ORDER BY "createdAt", "id"`,
        [id],
      );
      for (const c of comments) {
        await client.query(
          `INSERT INTO "TicketComment" ("id", "ticketId", "authorId", "body", "internal", "createdAt")
           SELECT 'v' || "id", $2, "authorId", "body", "internal", "createdAt" FROM "TicketComment" WHERE "id" = $1`,
          [c.id, copy],
        );
      }
      const { rows: same } = await client.query<{ ok: boolean }>(
        `SELECT a."searchVector" = b."searchVector" AND a."noteSearchVector" = b."noteSearchVector" AS ok
         FROM "Ticket" a, "Ticket" b WHERE a."id" = $1 AND b."id" = $2`,
        [id, copy],
      );
      if (!same[0]?.ok) mismatches += 1;
    }
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end();
  }
  return mismatches;
}
