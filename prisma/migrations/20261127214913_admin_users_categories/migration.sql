-- AlterTable
ALTER TABLE "Category" ADD COLUMN     "defaultAssigneeId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "reauthTokenHash" TEXT,
ADD COLUMN     "reauthenticatedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_id_idx" ON "AuditEvent"("outcome", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_ip_id_idx" ON "AuditEvent"("ip", "id");

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_defaultAssigneeId_fkey" FOREIGN KEY ("defaultAssigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
