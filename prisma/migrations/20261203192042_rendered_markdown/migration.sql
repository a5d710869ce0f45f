-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "descriptionHtml" TEXT,
ADD COLUMN     "descriptionHtmlVersion" INTEGER;

-- AlterTable
ALTER TABLE "TicketComment" ADD COLUMN     "bodyHtml" TEXT,
ADD COLUMN     "bodyHtmlVersion" INTEGER;

-- Issue 10 §1 (ADR 013): Markdown is rendered to sanitised HTML when it is written and stored
-- beside the source; pages output the stored HTML. Existing rows keep NULL here (SQL cannot
-- render Markdown): the page renders a NULL or outdated row on read with the same bounded
-- renderer, and `npm run markdown:rerender` fills them in.
--
-- Comments stay immutable, except for their rendering: an UPDATE that changes only "bodyHtml"
-- and "bodyHtmlVersion" is allowed (re-rendering after a renderer version change); any other
-- change is refused as before.
CREATE OR REPLACE FUNCTION "tessera_ticket_comment_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."id", NEW."ticketId", NEW."authorId", NEW."body", NEW."internal", NEW."createdAt")
     IS NOT DISTINCT FROM
     (OLD."id", OLD."ticketId", OLD."authorId", OLD."body", OLD."internal", OLD."createdAt") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'TicketComment rows are immutable' USING ERRCODE = 'restrict_violation';
END
$$;
