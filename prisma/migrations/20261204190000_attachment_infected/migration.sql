-- A quarantined file that the later scan finds infected keeps its row as the record (its blobs
-- are removed) in a state of its own, instead of pretending to be an upload in progress.
ALTER TYPE "AttachmentState" ADD VALUE 'INFECTED';
