// The SQL that generates one chunk of tickets and comments inside PostgreSQL (generate_series,
// no row crosses the network). Parameters of TICKET_ROWS:
//   $1 first number, $2 last number, $3 total tickets, $4 start time (UTC), $5 ms per ticket,
//   $6 now (UTC), $7 category ids (5, most used first), $8 rare words, $9 number of the ticket
//   that gets exactly 50 comments, $10 sentence pool size, $11 title pool size.
// Users are addressed by deterministic ids (see userId) so no lookup is needed per row.

/** Same expression in SQL and Node: 'c' + 24 hex chars, the length of a Prisma cuid. */
export const idSql = (prefix: string, key: string) =>
  `'c' || substr(md5('${prefix}' || ${key}), 1, 24)`;

export const REQUESTERS = 2000;
export const TECHNICIANS = 50;

export const TICKET_ROWS = `
CREATE TEMP TABLE g_t ON COMMIT DROP AS
WITH r AS (
  SELECT n,
    date_trunc('milliseconds', $4::timestamp + ((n - 1) * $5::float8 + random() * $5::float8 * 0.9)
      * interval '1 millisecond') AS created,
    random() AS r_open, random() AS r_kind, random() AS r_pri, random() AS r_cat,
    random() AS r_asg, random() AS r_com, random() AS r_gap, random() AS r_ver,
    1 + floor(random() * 6)::int AS nsent
  FROM generate_series($1::int, $2::int) AS n
), s AS (
  SELECT r.*,
    (CASE
      WHEN n = $9 THEN 'OPEN'
      -- Open tickets cluster among the most recent ones; a tail of old ones is still open.
      WHEN r_open < CASE WHEN n > $3 * 0.97 THEN 0.70 ELSE 0.095 END THEN
        CASE WHEN r_kind < 0.30 THEN 'NEW' WHEN r_kind < 0.60 THEN 'OPEN'
             WHEN r_kind < 0.88 THEN 'IN_PROGRESS' ELSE 'ON_HOLD' END
      WHEN r_kind < CASE WHEN n > $3 * 0.99 THEN 0.60 ELSE 0.10 END THEN 'RESOLVED'
      ELSE 'CLOSED'
    END)::"TicketStatus" AS status
  FROM r
), a AS (
  SELECT s.*,
    CASE
      WHEN n = $9 THEN ${idSql("bench-tech-", "1")}
      WHEN status = 'NEW' AND r_asg < 0.85 THEN NULL
      WHEN status = 'OPEN' AND r_asg < 0.35 THEN NULL
      ELSE ${idSql("bench-tech-", `(1 + floor(${TECHNICIANS} * random()))::int`)}
    END AS assignee_id,
    CASE WHEN n = $9 THEN 50 WHEN status = 'NEW' THEN floor(r_com * 2)::int
         ELSE floor(r_com * 11)::int END AS ncomments
  FROM s
), g AS (
  SELECT a.*,
    -- Time between events; small enough that every event of the ticket is in the past.
    LEAST(r_gap * 86400000, extract(epoch FROM ($6::timestamp - created)) * 1000 / (ncomments + 3))
      * interval '1 millisecond' AS gap
  FROM a
)
SELECT n, ${idSql("bench-ticket-", "n")} AS id, created, status,
  (CASE WHEN r_pri < 0.25 THEN 'LOW' WHEN r_pri < 0.75 THEN 'MEDIUM' WHEN r_pri < 0.95 THEN 'HIGH'
        ELSE 'URGENT' END)::"TicketPriority" AS priority,
  ($7::text[])[CASE WHEN r_cat < 0.30 THEN 1 WHEN r_cat < 0.60 THEN 2 WHEN r_cat < 0.80 THEN 3
                    WHEN r_cat < 0.95 THEN 4 ELSE 5 END] AS category_id,
  -- Skewed: a few requesters file thousands of tickets, most a few hundred.
  ${idSql("bench-user-", `(1 + floor(${REQUESTERS} * power(random(), 1.3)))::int`)} AS requester_id,
  assignee_id, ncomments, gap,
  CASE WHEN status = 'NEW' THEN 1 ELSE 2 + floor(r_ver * 4)::int END AS version,
  CASE WHEN assignee_id IS NOT NULL AND ncomments > 0
       THEN date_trunc('milliseconds', created + gap) END AS first_response,
  CASE WHEN status IN ('RESOLVED', 'CLOSED')
       THEN date_trunc('milliseconds', created + (ncomments + 1) * gap) END AS resolved,
  1 + floor(random() * $11::int)::int AS title_id,
  1 + floor(random() * $10::int)::int AS d1,
  CASE WHEN nsent >= 2 THEN 1 + floor(random() * $10::int)::int END AS d2,
  CASE WHEN nsent >= 3 THEN 1 + floor(random() * $10::int)::int END AS d3,
  CASE WHEN nsent >= 4 THEN 1 + floor(random() * $10::int)::int END AS d4,
  CASE WHEN nsent >= 5 THEN 1 + floor(random() * $10::int)::int END AS d5,
  CASE WHEN nsent >= 6 THEN 1 + floor(random() * $10::int)::int END AS d6,
  CASE WHEN random() < 0.002
       THEN 'The log also mentions ' || ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int] || '.'
  END AS rare,
  CASE WHEN random() < 0.3 THEN 'Asset tag LT' || lpad(floor(random() * 1000000)::int::text, 6, '0') || '.'
  END AS asset
FROM g`;

export const TICKET_TEXT = `
CREATE TEMP TABLE g_tt ON COMMIT DROP AS
SELECT t.*, ti.txt AS title,
  concat_ws(' ', s1.txt, s2.txt, s3.txt, s4.txt, s5.txt, s6.txt, t.rare, t.asset) AS description,
  CASE WHEN t.status = 'CLOSED'
       THEN date_trunc('milliseconds', t.resolved + random() * LEAST(interval '7 days', $1::timestamp - t.resolved))
  END AS closed
FROM g_t t
JOIN bench_title ti ON ti.id = t.title_id
JOIN bench_sentence s1 ON s1.id = t.d1
LEFT JOIN bench_sentence s2 ON s2.id = t.d2
LEFT JOIN bench_sentence s3 ON s3.id = t.d3
LEFT JOIN bench_sentence s4 ON s4.id = t.d4
LEFT JOIN bench_sentence s5 ON s5.id = t.d5
LEFT JOIN bench_sentence s6 ON s6.id = t.d6`;

// Odd comments: the assignee's public reply (the first one is the first response), or the
// requester's when nobody is assigned. Even: the requester, or (30%) an internal note.
export const COMMENT_ROWS = `
CREATE TEMP TABLE g_c ON COMMIT DROP AS
WITH k AS (
  SELECT t.n, t.id AS ticket_id, t.requester_id, t.assignee_id, k,
    date_trunc('milliseconds', t.created + k * t.gap) AS created,
    (t.assignee_id IS NOT NULL AND k % 2 = 0 AND random() < 0.3) AS internal,
    1 + floor(random() * $1::int)::int AS b1,
    CASE WHEN random() < 0.6 THEN 1 + floor(random() * $1::int)::int END AS b2,
    CASE WHEN random() < 0.25 THEN 1 + floor(random() * $1::int)::int END AS b3
  FROM g_tt t CROSS JOIN LATERAL generate_series(1, t.ncomments) AS k
)
SELECT k.n, k.ticket_id, ${idSql("bench-comment-", "k.n || '-' || k.k")} AS id, k.created, k.internal,
  CASE WHEN k.internal OR (k.k % 2 = 1 AND k.assignee_id IS NOT NULL) THEN k.assignee_id
       ELSE k.requester_id END AS author_id,
  concat_ws(' ', b1.txt, b2.txt, b3.txt) AS body
FROM k
JOIN bench_sentence b1 ON b1.id = k.b1
LEFT JOIN bench_sentence b2 ON b2.id = k.b2
LEFT JOIN bench_sentence b3 ON b3.id = k.b3`;

// The vectors the triggers would have built: the ticket trigger sets A(title) || B(description)
// (|| C('') for no comments yet), then every comment's trigger appends its own vector, in
// insertion order = (createdAt, id). tsvector || shifts positions, so this is a fold of ||, not
// to_tsvector over the concatenated text (the two differ after trailing stop words). Each text
// goes through the triggers' own tessera_search_text (as written, and split at `_ . \\ /`).
export const TICKET_INSERT = `
INSERT INTO "Ticket" ("id", "number", "title", "description", "status", "priority", "categoryId",
  "requesterId", "assigneeId", "version", "createdAt", "updatedAt", "firstResponseAt",
  "resolvedAt", "closedAt", "slaPolicyId", "firstResponseDueAt", "resolutionDueAt", "slaDueAt",
  "slaWarnAt", "slaCheckAt", "slaPausedAt", "searchVector", "noteSearchVector")
SELECT t.id, t.n, t.title, t.description, t.status, t.priority, t.category_id, t.requester_id,
  t.assignee_id, t.version, t.created,
  GREATEST(t.created, t.created + t.ncomments * t.gap, t.resolved, t.closed),
  t.first_response, t.resolved, t.closed,
  -- The default policy's due times (24/7: first response 4 h, resolution 2 days, at risk in the
  -- last 20 %), as lib/sla/apply.ts writes them; running clocks (NEW, OPEN, IN_PROGRESS) only
  -- get the earliest due time, paused and stopped ones the time they stopped.
  'sla_default', t.created + interval '240 minutes', t.created + interval '2880 minutes',
  CASE WHEN t.status IN ('NEW', 'OPEN', 'IN_PROGRESS') THEN
    CASE WHEN t.first_response IS NULL THEN t.created + interval '240 minutes'
         ELSE t.created + interval '2880 minutes' END END,
  CASE WHEN t.status IN ('NEW', 'OPEN', 'IN_PROGRESS') THEN
    CASE WHEN t.first_response IS NULL THEN t.created + interval '192 minutes'
         ELSE t.created + interval '2304 minutes' END END,
  NULL,
  CASE WHEN t.status NOT IN ('NEW', 'OPEN', 'IN_PROGRESS')
       THEN coalesce(t.resolved, t.closed, t.created + t.ncomments * t.gap) END,
  setweight("tessera_search_text"(t.title), 'A')
    || setweight("tessera_search_text"(t.description), 'B')
    || coalesce(v.pub, ''::tsvector),
  coalesce(v.notes, ''::tsvector)
FROM g_tt t
LEFT JOIN (
  SELECT n,
    bench_tsvector_agg(setweight("tessera_search_text"(body), 'C') ORDER BY created, id)
      FILTER (WHERE NOT internal) AS pub,
    bench_tsvector_agg(setweight("tessera_search_text"(body), 'D') ORDER BY created, id)
      FILTER (WHERE internal) AS notes
  FROM g_c GROUP BY n
) v ON v.n = t.n`;

export const COMMENT_INSERT = `
INSERT INTO "TicketComment" ("id", "ticketId", "authorId", "body", "internal", "createdAt")
SELECT id, ticket_id, author_id, body, internal, created FROM g_c`;
