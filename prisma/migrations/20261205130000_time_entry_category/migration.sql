-- The ticket's category on each time entry (the reports book time to it without reading every
-- ticket: issue 15 §6's 500 ms at a million tickets). Existing entries take their ticket's
-- category now.
ALTER TABLE "TimeEntry" ADD COLUMN "categoryId" TEXT;
UPDATE "TimeEntry" e SET "categoryId" = t."categoryId" FROM "Ticket" t WHERE t."id" = e."ticketId";
ALTER TABLE "TimeEntry" ALTER COLUMN "categoryId" SET NOT NULL;

-- CreateIndex
CREATE INDEX "TimeEntry_categoryId_workDate_idx" ON "TimeEntry"("categoryId", "workDate");

-- AddForeignKey
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
