-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "TicketPriority" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'URGENT');

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'NEW',
    "priority" "TicketPriority" NOT NULL DEFAULT 'MEDIUM',
    "categoryId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "firstResponseAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "searchVector" tsvector NOT NULL DEFAULT ''::tsvector,
    "noteSearchVector" tsvector NOT NULL DEFAULT ''::tsvector,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketComment" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");

-- CreateIndex
CREATE INDEX "TicketComment_ticketId_createdAt_id_idx" ON "TicketComment"("ticketId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "TicketComment_authorId_idx" ON "TicketComment"("authorId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketComment" ADD CONSTRAINT "TicketComment_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketComment" ADD CONSTRAINT "TicketComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Written by hand: what schema.prisma cannot express (docs/decisions/006-tickets.md).
-- ---------------------------------------------------------------------------------------------

-- Invariants the service also checks; the database has the last word.
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_title_length" CHECK (char_length("title") BETWEEN 3 AND 200);
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_description_length" CHECK (char_length("description") <= 20000);
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_version_positive" CHECK ("version" >= 1);
ALTER TABLE "TicketComment" ADD CONSTRAINT "TicketComment_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000);

-- Full-text search. Two trigger-maintained vectors per ticket:
--   "searchVector"     title (A) + description (B) + public replies (C): what a requester may match;
--   "noteSearchVector" internal notes only: matched by staff searches alone.
-- A requester's search is scoped to their own tickets (requester index below) and never reads
-- "noteSearchVector"; staff search "searchVector" || "noteSearchVector", which has a GIN index.
-- A tsvector is capped at 1 MB: when a huge conversation exceeds it, the new text is left out of
-- the vector rather than failing the user's write.
CREATE FUNCTION "tessera_ticket_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    NEW."searchVector" :=
         setweight(to_tsvector('english', coalesce(NEW."title", '')), 'A')
      || setweight(to_tsvector('english', coalesce(NEW."description", '')), 'B')
      || setweight(to_tsvector('english', coalesce((
           SELECT string_agg(c."body", ' ' ORDER BY c."createdAt", c."id")
           FROM "TicketComment" c
           WHERE c."ticketId" = NEW."id" AND NOT c."internal"), '')), 'C');
  EXCEPTION WHEN program_limit_exceeded THEN
    NEW."searchVector" :=
         setweight(to_tsvector('english', coalesce(NEW."title", '')), 'A')
      || setweight(to_tsvector('english', coalesce(NEW."description", '')), 'B');
  END;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Ticket_search_vector"
  BEFORE INSERT OR UPDATE OF "title", "description" ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "tessera_ticket_search_vector"();

CREATE FUNCTION "tessera_ticket_comment_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."internal" THEN
    UPDATE "Ticket"
       SET "noteSearchVector" = "noteSearchVector" || setweight(to_tsvector('english', NEW."body"), 'D')
     WHERE "id" = NEW."ticketId";
  ELSE
    UPDATE "Ticket"
       SET "searchVector" = "searchVector" || setweight(to_tsvector('english', NEW."body"), 'C')
     WHERE "id" = NEW."ticketId";
  END IF;
  RETURN NULL;
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN NULL;
END
$$;

CREATE TRIGGER "TicketComment_search"
  AFTER INSERT ON "TicketComment"
  FOR EACH ROW EXECUTE FUNCTION "tessera_ticket_comment_search"();

-- Comments are immutable: flipping a reply to internal (or editing it) after the fact would
-- leave it in the requester-searchable vector and rewrite a conversation people have read.
CREATE FUNCTION "tessera_ticket_comment_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'TicketComment rows are immutable' USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER "TicketComment_immutable"
  BEFORE UPDATE ON "TicketComment"
  FOR EACH ROW EXECUTE FUNCTION "tessera_ticket_comment_immutable"();

CREATE INDEX "Ticket_staff_search_idx" ON "Ticket"
  USING GIN (("searchVector" || "noteSearchVector")) WHERE "deletedAt" IS NULL;

-- Queue and list indexes. Every list query orders by (sort key, "number") in one direction and
-- pages with a row comparison on exactly those columns, so each is a forward or backward index
-- range scan that stops after one page, at any depth. Partial: soft-deleted rows are never listed;
-- "open" = NEW, OPEN, IN_PROGRESS, ON_HOLD (lib/tickets/status.ts OPEN_STATUSES, same literal
-- list in lib/tickets/search.ts so the planner can prove the predicate).
CREATE INDEX "Ticket_open_created_idx" ON "Ticket" ("createdAt", "number")
  WHERE "deletedAt" IS NULL AND "status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD');
CREATE INDEX "Ticket_open_assignee_created_idx" ON "Ticket" ("assigneeId", "createdAt", "number")
  WHERE "deletedAt" IS NULL AND "status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD');
CREATE INDEX "Ticket_open_priority_idx" ON "Ticket" ("priority", "createdAt", "number")
  WHERE "deletedAt" IS NULL AND "status" IN ('NEW', 'OPEN', 'IN_PROGRESS', 'ON_HOLD');
CREATE INDEX "Ticket_resolved_idx" ON "Ticket" ("resolvedAt", "number")
  WHERE "deletedAt" IS NULL AND "status" IN ('RESOLVED', 'CLOSED');
CREATE INDEX "Ticket_live_created_idx" ON "Ticket" ("createdAt", "number")
  WHERE "deletedAt" IS NULL;
CREATE INDEX "Ticket_live_updated_idx" ON "Ticket" ("updatedAt", "number")
  WHERE "deletedAt" IS NULL;
-- Plain (non-partial) indexes are declared in schema.prisma too (`npm run db:check` compares them):
-- the foreign-key indexes, also used by the requester / assignee / category filters.
CREATE INDEX "Ticket_requester_created_idx" ON "Ticket" ("requesterId", "createdAt", "number");
CREATE INDEX "Ticket_assignee_created_idx" ON "Ticket" ("assigneeId", "createdAt", "number");
CREATE INDEX "Ticket_category_created_idx" ON "Ticket" ("categoryId", "createdAt", "number");
