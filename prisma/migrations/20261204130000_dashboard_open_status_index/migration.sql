-- Written by hand (schema.prisma cannot express partial indexes). Finding of the mixed-load
-- benchmark (`npm run bench -- --load`, docs/benchmarks.md "Mixed load").

-- The staff dashboard counts open tickets by status and priority (lib/tickets/stats.ts). No open
-- index held the status, so every visit read the heap of every open ticket: 285 ms and 72,000
-- blocks at 1,000,000 tickets (115,000 open), the slowest page of the working day. With it, an
-- index-only scan: 11 ms.
CREATE INDEX "Ticket_open_status_priority_idx" ON "Ticket" ("status", "priority")
  WHERE "deletedAt" IS NULL AND "status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD');
