-- "Report a follow-up" (issue 11 §5): a new ticket may name the closed ticket it continues.
-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "followUpOfId" TEXT;

-- CreateIndex
CREATE INDEX "Ticket_followUpOfId_idx" ON "Ticket"("followUpOfId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_followUpOfId_fkey" FOREIGN KEY ("followUpOfId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;
