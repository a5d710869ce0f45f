// Who plays the mixed load (scripts/bench/mixed.ts) and which tickets each of them works on,
// picked from the seeded bench database before the clock starts: technicians act on open tickets
// assigned to them, requesters on their own open tickets, bulk assignment takes unassigned ones.
import type pg from "pg";
import { benchId } from "./seed-audit";

export const TECHNICIANS_IN_LOAD = 50;
export const REQUESTERS_IN_LOAD = 500;
const PER_USER = 50;
const UNASSIGNED = 30_000;

export type PoolTicket = { id: string; number: number };
export type Pools = {
  technicians: string[];
  requesters: string[];
  /** Each technician's and requester's open tickets. */
  byUser: Map<string, PoolTicket[]>;
  /** Unassigned NEW/OPEN tickets, consumed ten at a time by bulk assignment. */
  unassigned: PoolTicket[];
  categories: string[];
  maxNumber: number;
};

const ACTIVE = `status IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD') AND "deletedAt" IS NULL`;

export async function loadPools(db: pg.Client): Promise<Pools> {
  const technicians = Array.from({ length: TECHNICIANS_IN_LOAD }, (_, k) =>
    benchId("bench-tech-", k + 1),
  );
  const byUser = new Map<string, PoolTicket[]>();
  const { rows: assigned } = await db.query<{ uid: string; tickets: PoolTicket[] }>(
    `SELECT uid, json_agg(json_build_object('id', id, 'number', number)) AS tickets
       FROM (SELECT id, number, "assigneeId" AS uid,
                    row_number() OVER (PARTITION BY "assigneeId" ORDER BY random()) AS rn
               FROM "Ticket" WHERE "assigneeId" = ANY($1) AND ${ACTIVE}) x
      WHERE rn <= $2 GROUP BY uid`,
    [technicians, PER_USER],
  );
  for (const r of assigned) byUser.set(r.uid, r.tickets);
  const missing = technicians.filter((t) => !byUser.has(t));
  if (missing.length > 0) throw new Error(`${missing.length} technicians have no open tickets`);

  // Requesters with open tickets of their own (at a million tickets, ~50 each).
  const { rows: own } = await db.query<{ uid: string; tickets: PoolTicket[] }>(
    `SELECT uid, json_agg(json_build_object('id', id, 'number', number)) AS tickets
       FROM (SELECT id, number, "requesterId" AS uid,
                    row_number() OVER (PARTITION BY "requesterId" ORDER BY random()) AS rn
               FROM "Ticket" t
              WHERE ${ACTIVE}
                AND EXISTS (SELECT 1 FROM "User" u WHERE u.id = t."requesterId" AND u.role = 'USER')) x
      WHERE rn <= $1 GROUP BY uid HAVING count(*) >= 1 ORDER BY random() LIMIT $2`,
    [PER_USER, REQUESTERS_IN_LOAD],
  );
  if (own.length < REQUESTERS_IN_LOAD)
    throw new Error(`only ${own.length} requesters have an open ticket: seed more tickets`);
  for (const r of own) byUser.set(r.uid, r.tickets);

  const { rows: unassigned } = await db.query<PoolTicket>(
    `SELECT id, number FROM "Ticket"
      WHERE "assigneeId" IS NULL AND status IN ('NEW', 'OPEN') AND "deletedAt" IS NULL
      ORDER BY random() LIMIT $1`,
    [UNASSIGNED],
  );
  const { rows: categories } = await db.query<{ id: string }>(
    `SELECT id FROM "Category" WHERE NOT archived`,
  );
  const { rows: max } = await db.query<{ n: number }>(`SELECT max(number)::int AS n FROM "Ticket"`);
  return {
    technicians,
    requesters: own.map((r) => r.uid),
    byUser,
    unassigned,
    categories: categories.map((c) => c.id),
    maxNumber: max[0]!.n,
  };
}
