-- Issue 12: the audit chain is computed off the request path (ADR 004, revised). A request's
-- transaction inserts its event unchained (seq, prevHash and hash null); the sealer
-- (lib/audit/seal.ts) later gives each committed event its position and hash, once.

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "seq" BIGINT,
ALTER COLUMN "createdAt" SET DEFAULT date_trunc('milliseconds'::text, clock_timestamp()),
ALTER COLUMN "prevHash" DROP NOT NULL,
ALTER COLUMN "hash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "AuditAnchor" (
    "id" BIGSERIAL NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "mac" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "AuditAnchor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditAnchor_verified_seq_idx" ON "AuditAnchor"("verified", "seq");

-- ---------------------------------------------------------------------------------------------
-- Hand-written below this line.
-- ---------------------------------------------------------------------------------------------

-- Events written before this migration were chained under the old global lock in id order:
-- their position is their id (gaps are fine; the links, not the numbers, prove completeness).
ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete";
UPDATE "AuditEvent" SET "seq" = "id";
ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete";

-- CreateIndex (after the backfill: one index build instead of a million index updates)
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");

ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_sealed_together" CHECK (
  ("seq" IS NULL AND "prevHash" IS NULL AND "hash" IS NULL) OR
  ("seq" IS NOT NULL AND "prevHash" IS NOT NULL AND "hash" IS NOT NULL));

-- Still append-only; the one UPDATE allowed is the sealer's: setting seq, prevHash and hash of
-- a pending event, changing nothing else.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'AuditEvent' AND TG_OP = 'UPDATE' AND OLD."seq" IS NULL AND NEW."seq" IS NOT NULL
     AND (to_jsonb(NEW) - 'seq' - 'prevHash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prevHash' - 'hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Anchors are append-only too (a copy outside the database is what makes them evidence).
CREATE TRIGGER "AuditAnchor_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditAnchor"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER "AuditAnchor_no_truncate" BEFORE TRUNCATE ON "AuditAnchor"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
