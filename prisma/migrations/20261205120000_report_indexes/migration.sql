-- Reports (issue 15 §6, lib/reports/queries.ts). SLA compliance and the response/resolution time
-- distributions read every live ticket created in the range: at 1,000,000 tickets a year is
-- 333,000 rows spread over 13,000 heap pages (a bitmap heap scan of ~760 ms on the bench machine,
-- docs/benchmarks.md "Reports"). This index carries every column those two reports read, so they
-- become index-only scans (~100 ms for the same rows). Partial on live tickets like the other
-- createdAt indexes; not expressible in schema.prisma (INCLUDE and WHERE), like them.
CREATE INDEX "Ticket_report_created_idx" ON "Ticket" ("createdAt")
  INCLUDE ("priority", "categoryId", "assigneeId", "firstResponseAt", "firstResponseDueAt",
           "resolvedAt", "resolutionDueAt", "nextResponseCount", "nextResponseBreaches")
  WHERE "deletedAt" IS NULL;

-- CSAT and time logged read surveys and time entries, not tickets, except to leave out deleted
-- tickets: an anti-join on this (tiny) index instead of a join on every ticket (~250 ms instead
-- of ~1,000 ms for a year of surveys at 1,000,000 tickets).
CREATE INDEX "Ticket_deleted_idx" ON "Ticket" ("id") WHERE "deletedAt" IS NOT NULL;
