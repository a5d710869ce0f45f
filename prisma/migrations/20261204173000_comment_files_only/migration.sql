-- Written by hand (a CHECK constraint): a reply or note may consist of files only (a pasted
-- screenshot), so its text may be empty. The services still refuse a comment with neither text
-- nor files (lib/tickets/schemas.ts TicketCommentSchema, lib/tickets/triage.ts).
ALTER TABLE "TicketComment" DROP CONSTRAINT "TicketComment_body_length";
ALTER TABLE "TicketComment" ADD CONSTRAINT "TicketComment_body_length" CHECK (char_length("body") BETWEEN 0 AND 20000);
