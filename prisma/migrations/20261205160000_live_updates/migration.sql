-- Live updates (issue 16 §4, docs/decisions/028-live-updates.md). Every committed change of a
-- ticket or a new comment is announced on the channel "tessera_live" with IDs only, whatever
-- wrote it (web, API, email, bulk, jobs): NOTIFY is delivered when the transaction commits and
-- never after a rollback. Each app instance LISTENs on one connection (lib/live/hub.ts) and
-- passes the event on to the streams allowed to see it. The payload says who may: "r" is the
-- requester, "p" false marks a staff-only event (an internal note, or a change of columns the
-- requester does not see, such as SLA bookkeeping or the search vectors).
CREATE OR REPLACE FUNCTION "tessera_live_ticket"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  visible boolean;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- As text: a row comparison would fail on a column type without equality (json).
    IF NEW::text = OLD::text THEN
      RETURN NULL;
    END IF;
    visible := (NEW."title", NEW."description", NEW."status", NEW."priority", NEW."categoryId",
                NEW."assigneeId", NEW."requesterId", NEW."deletedAt", NEW."followUpOfId")
               IS DISTINCT FROM
               (OLD."title", OLD."description", OLD."status", OLD."priority", OLD."categoryId",
                OLD."assigneeId", OLD."requesterId", OLD."deletedAt", OLD."followUpOfId");
  ELSE
    visible := true;
  END IF;
  PERFORM pg_notify('tessera_live', json_build_object(
    'k', 'ticket', 't', NEW."id", 'n', NEW."number", 'r', NEW."requesterId", 'p', visible
  )::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Ticket_live"
  AFTER INSERT OR UPDATE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "tessera_live_ticket"();

CREATE OR REPLACE FUNCTION "tessera_live_comment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t RECORD;
BEGIN
  SELECT "number", "requesterId" INTO t FROM "Ticket" WHERE "id" = NEW."ticketId";
  PERFORM pg_notify('tessera_live', json_build_object(
    'k', 'comment', 't', NEW."ticketId", 'n', t."number", 'r', t."requesterId",
    'p', NOT NEW."internal"
  )::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "TicketComment_live"
  AFTER INSERT ON "TicketComment"
  FOR EACH ROW EXECUTE FUNCTION "tessera_live_comment"();
