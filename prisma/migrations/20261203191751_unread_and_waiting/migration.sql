-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "awaitingReply" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "TicketView" (
    "userId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketView_pkey" PRIMARY KEY ("userId","ticketId")
);

-- CreateIndex
CREATE INDEX "TicketView_ticketId_idx" ON "TicketView"("ticketId");

-- AddForeignKey
ALTER TABLE "TicketView" ADD CONSTRAINT "TicketView_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketView" ADD CONSTRAINT "TicketView_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- "Waiting on us": the last public message is the requester's. The comment trigger that already
-- updates the ticket's search vector sets the flag in the same UPDATE: a public reply by the
-- requester sets it, one by anyone else clears it; internal notes leave it alone.
CREATE OR REPLACE FUNCTION "tessera_ticket_comment_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."internal" THEN
    UPDATE "Ticket"
       SET "noteSearchVector" = "noteSearchVector" || setweight("tessera_search_text"(NEW."body"), 'D')
     WHERE "id" = NEW."ticketId";
  ELSE
    UPDATE "Ticket"
       SET "searchVector" = "searchVector" || setweight("tessera_search_text"(NEW."body"), 'C'),
           "awaitingReply" = (NEW."authorId" = "requesterId")
     WHERE "id" = NEW."ticketId";
  END IF;
  RETURN NULL;
EXCEPTION WHEN program_limit_exceeded THEN
  -- The vector is full: still keep the queue right.
  IF NOT NEW."internal" THEN
    UPDATE "Ticket" SET "awaitingReply" = (NEW."authorId" = "requesterId") WHERE "id" = NEW."ticketId";
  END IF;
  RETURN NULL;
END
$$;

-- Existing tickets: the author of the last public comment decides.
UPDATE "Ticket" t SET "awaitingReply" = (l."authorId" = t."requesterId")
  FROM (SELECT DISTINCT ON (c."ticketId") c."ticketId", c."authorId"
          FROM "TicketComment" c WHERE NOT c."internal"
         ORDER BY c."ticketId", c."createdAt" DESC, c."id" DESC) l
 WHERE l."ticketId" = t."id" AND t."awaitingReply" <> (l."authorId" = t."requesterId");

-- The "Waiting on us" queue, sorted like the other open queues (priority, then age).
CREATE INDEX "Ticket_waiting_priority_idx" ON "Ticket" ("priority", "createdAt", "number")
  WHERE "deletedAt" IS NULL AND "awaitingReply"
    AND "status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD');
