-- CreateTable
CREATE TABLE "SavedView" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedView_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SavedView_userId_createdAt_idx" ON "SavedView"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_userId_name_key" ON "SavedView"("userId", "name");

-- AddForeignKey
ALTER TABLE "SavedView" ADD CONSTRAINT "SavedView_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Bounded by the application (lib/tickets/saved-views.ts); the database refuses anything larger.
ALTER TABLE "SavedView" ADD CONSTRAINT "SavedView_name_length"
  CHECK (char_length("name") BETWEEN 1 AND 60);
ALTER TABLE "SavedView" ADD CONSTRAINT "SavedView_query_length"
  CHECK (char_length("query") <= 2000);

-- Column sorts of the ticket table (lib/tickets/search.ts SORTS). Each sort orders by
-- (keys..., "number") in one direction and pages with a row comparison on exactly those columns,
-- so with these a page is one index range scan at any depth, also over all tickets:
-- status (status, updatedAt), title (title), and priority over every ticket (the open-only
-- priority index serves the work queues). The number sort uses "Ticket_number_key".
CREATE INDEX "Ticket_live_status_idx" ON "Ticket" ("status", "updatedAt", "number")
  WHERE "deletedAt" IS NULL;
CREATE INDEX "Ticket_live_title_idx" ON "Ticket" ("title", "number")
  WHERE "deletedAt" IS NULL;
CREATE INDEX "Ticket_live_priority_idx" ON "Ticket" ("priority", "createdAt", "number")
  WHERE "deletedAt" IS NULL;
