-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "slaCheckAt" TIMESTAMP(3);

-- The escalation job's scan (ADR 024); the queue sorts by "slaDueAt" and filters on "slaWarnAt"
-- within that index, so the warn index goes.
DROP INDEX "Ticket_sla_warn_idx";
CREATE INDEX "Ticket_sla_check_idx" ON "Ticket"("slaCheckAt") WHERE "slaCheckAt" IS NOT NULL AND "deletedAt" IS NULL;
