-- Search finds identifiers by their parts. PostgreSQL's parser keeps `budget_v7_FINAL.xlsx`,
-- `C:\Users\bob` or `printer.example.com` as single tokens (a file or host name), so typing
-- `budget_v7` or `FINAL.xlsx` found nothing. Each text is now indexed twice: as written, and with
-- `_ . \ /` turned into spaces, so the whole identifier and any run of its parts both match. The
-- query side (lib/tickets/search.ts) ORs the same two readings of what was typed.
CREATE FUNCTION "tessera_search_text"(body text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('english', coalesce(body, ''))
      || to_tsvector('english', regexp_replace(coalesce(body, ''), '[_.\\/]+', ' ', 'g'))
$$;

CREATE OR REPLACE FUNCTION "tessera_ticket_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    NEW."searchVector" :=
         setweight("tessera_search_text"(NEW."title"), 'A')
      || setweight("tessera_search_text"(NEW."description"), 'B')
      || setweight("tessera_search_text"((
           SELECT string_agg(c."body", ' ' ORDER BY c."createdAt", c."id")
           FROM "TicketComment" c
           WHERE c."ticketId" = NEW."id" AND NOT c."internal")), 'C');
  EXCEPTION WHEN program_limit_exceeded THEN
    NEW."searchVector" :=
         setweight("tessera_search_text"(NEW."title"), 'A')
      || setweight("tessera_search_text"(NEW."description"), 'B');
  END;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION "tessera_ticket_comment_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."internal" THEN
    UPDATE "Ticket"
       SET "noteSearchVector" = "noteSearchVector" || setweight("tessera_search_text"(NEW."body"), 'D')
     WHERE "id" = NEW."ticketId";
  ELSE
    UPDATE "Ticket"
       SET "searchVector" = "searchVector" || setweight("tessera_search_text"(NEW."body"), 'C')
     WHERE "id" = NEW."ticketId";
  END IF;
  RETURN NULL;
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN NULL;
END
$$;

-- Existing tickets: only those whose text holds one of the split characters change. Setting the
-- title to itself fires the BEFORE UPDATE trigger, which rebuilds "searchVector" (title,
-- description, public replies). Internal notes are rebuilt here directly.
UPDATE "Ticket" t SET "title" = t."title"
 WHERE t."title" ~ '[_.\\/]' OR t."description" ~ '[_.\\/]'
    OR EXISTS (SELECT 1 FROM "TicketComment" c
                WHERE c."ticketId" = t."id" AND NOT c."internal" AND c."body" ~ '[_.\\/]');

UPDATE "Ticket" t SET "noteSearchVector" = coalesce((
         SELECT setweight("tessera_search_text"(string_agg(c."body", ' ' ORDER BY c."createdAt", c."id")), 'D')
           FROM "TicketComment" c WHERE c."ticketId" = t."id" AND c."internal"), ''::tsvector)
 WHERE EXISTS (SELECT 1 FROM "TicketComment" c
                WHERE c."ticketId" = t."id" AND c."internal" AND c."body" ~ '[_.\\/]');
