-- Inbound email (issue 14 §3): every message read from the mailbox, once per mailbox and key,
-- and the bouncing mark on a user.

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailBouncingAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "InboundEmail" (
    "id" BIGSERIAL NOT NULL,
    "mailbox" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "messageId" TEXT,
    "fromAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "ticketId" TEXT,
    "commentId" TEXT,
    "originalText" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InboundEmail_messageId_idx" ON "InboundEmail"("messageId");

-- CreateIndex
CREATE INDEX "InboundEmail_ticketId_id_idx" ON "InboundEmail"("ticketId", "id");

-- CreateIndex
CREATE INDEX "InboundEmail_fromAddress_receivedAt_idx" ON "InboundEmail"("fromAddress", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_mailbox_dedupeKey_key" ON "InboundEmail"("mailbox", "dedupeKey");
