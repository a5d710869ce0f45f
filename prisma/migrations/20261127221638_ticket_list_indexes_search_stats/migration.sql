-- Written by hand (schema.prisma cannot express partial or expression indexes, nor extended
-- statistics). Findings of the million-ticket benchmark, docs/benchmarks.md.

-- Full-text search: the planner had no statistics for ("searchVector" || "noteSearchVector"):
-- expression statistics of the partial GIN index "Ticket_staff_search_idx" are ignored by the
-- planner (partial indexes never provide whole-table statistics), so every term was estimated at
-- the default 0.5% of rows. A rare term then walked "Ticket_live_created_idx" row by row looking
-- for 26 matches that do not exist: ~10 s at 1,000,000 tickets. Extended statistics on the same
-- expression give tsmatchsel real lexeme frequencies (rare term -> GIN bitmap scan; common term
-- -> ordered index walk that stops after one page). The raised target keeps the most-common-
-- lexeme list long enough that an unseen term is estimated as rare (ANALYZE samples 300,000 rows).
CREATE STATISTICS "Ticket_search_stats" ON (("searchVector" || "noteSearchVector")) FROM "Ticket";
ALTER STATISTICS "Ticket_search_stats" SET STATISTICS 1000;

-- "My tickets" (lib/tickets/search.ts, sort "open-first"): the requester's tickets ordered by
-- (open first, updatedAt, number). Without it every visit fetched and sorted ALL of the user's
-- tickets (thousands for a heavy requester); with it, a backward index scan that stops after one
-- page, at any depth. The CASE must stay textually identical to the query's expression.
CREATE INDEX "Ticket_requester_open_first_idx" ON "Ticket" (
  "requesterId",
  (CASE WHEN "status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD') THEN 1 ELSE 0 END),
  "updatedAt",
  "number"
) WHERE "deletedAt" IS NULL;

-- Staff filter "assignee" with sort "updated" (a technician's tickets by last activity): walked
-- "Ticket_live_updated_idx" discarding every other technician's rows (34,000 rows for one page
-- at 1,000,000 tickets, 0.1-3 s). Per-assignee order instead.
CREATE INDEX "Ticket_assignee_updated_idx" ON "Ticket" ("assigneeId", "updatedAt", "number")
  WHERE "deletedAt" IS NULL;

-- Fresh statistics now, so the plans above are chosen from the first query on.
ANALYZE "Ticket";
