-- CreateEnum
CREATE TYPE "SlaTarget" AS ENUM ('FIRST_RESPONSE', 'NEXT_RESPONSE', 'RESOLUTION');

-- CreateEnum
CREATE TYPE "SlaEventKind" AS ENUM ('WARNING', 'BREACHED');

-- CreateEnum
CREATE TYPE "CsatRating" AS ENUM ('GOOD', 'OKAY', 'BAD');

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "firstResponseDueAt" TIMESTAMP(3),
ADD COLUMN     "nextResponseBreaches" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "nextResponseCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "nextResponseDueAt" TIMESTAMP(3),
ADD COLUMN     "nextResponsePauseBase" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "nextResponseStartAt" TIMESTAMP(3),
ADD COLUMN     "resolutionDueAt" TIMESTAMP(3),
ADD COLUMN     "slaDueAt" TIMESTAMP(3),
ADD COLUMN     "slaPausedAt" TIMESTAMP(3),
ADD COLUMN     "slaPausedMinutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "slaPolicyId" TEXT,
ADD COLUMN     "slaWarnAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "BusinessCalendar" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "alwaysOpen" BOOLEAN NOT NULL DEFAULT false,
    "windows" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BusinessCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarHoliday" (
    "id" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "CalendarHoliday_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "priorities" "TicketPriority"[] DEFAULT ARRAY[]::"TicketPriority"[],
    "categoryIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "calendarId" TEXT NOT NULL,
    "firstResponseMinutes" INTEGER,
    "nextResponseMinutes" INTEGER,
    "resolutionMinutes" INTEGER,
    "atRiskPercent" INTEGER NOT NULL DEFAULT 20,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaEvent" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "target" "SlaTarget" NOT NULL,
    "kind" "SlaEventKind" NOT NULL,
    "cycleStart" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlaEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CannedResponse" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "ownerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CannedResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CsatSurvey" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "categoryId" TEXT NOT NULL,
    "resolvedAt" TIMESTAMP(3) NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "rating" "CsatRating",
    "comment" TEXT,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CsatSurvey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimeEntry" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "workDate" DATE NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "billable" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TimeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BusinessCalendar_name_key" ON "BusinessCalendar"("name");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarHoliday_calendarId_date_key" ON "CalendarHoliday"("calendarId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "SlaPolicy_name_key" ON "SlaPolicy"("name");

-- CreateIndex
CREATE INDEX "SlaPolicy_active_position_idx" ON "SlaPolicy"("active", "position");

-- CreateIndex
CREATE INDEX "SlaEvent_kind_createdAt_idx" ON "SlaEvent"("kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SlaEvent_ticketId_target_kind_cycleStart_key" ON "SlaEvent"("ticketId", "target", "kind", "cycleStart");

-- CreateIndex
CREATE INDEX "CannedResponse_ownerId_title_idx" ON "CannedResponse"("ownerId", "title");

-- CreateIndex
CREATE UNIQUE INDEX "CsatSurvey_tokenHash_key" ON "CsatSurvey"("tokenHash");

-- CreateIndex
CREATE INDEX "CsatSurvey_answeredAt_idx" ON "CsatSurvey"("answeredAt");

-- CreateIndex
CREATE INDEX "CsatSurvey_assigneeId_answeredAt_idx" ON "CsatSurvey"("assigneeId", "answeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "CsatSurvey_ticketId_resolvedAt_key" ON "CsatSurvey"("ticketId", "resolvedAt");

-- CreateIndex
CREATE INDEX "TimeEntry_ticketId_workDate_idx" ON "TimeEntry"("ticketId", "workDate");

-- CreateIndex
CREATE INDEX "TimeEntry_userId_workDate_idx" ON "TimeEntry"("userId", "workDate");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_slaPolicyId_fkey" FOREIGN KEY ("slaPolicyId") REFERENCES "SlaPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarHoliday" ADD CONSTRAINT "CalendarHoliday_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaEvent" ADD CONSTRAINT "SlaEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CannedResponse" ADD CONSTRAINT "CannedResponse_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CsatSurvey" ADD CONSTRAINT "CsatSurvey_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CsatSurvey" ADD CONSTRAINT "CsatSurvey_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CsatSurvey" ADD CONSTRAINT "CsatSurvey_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CsatSurvey" ADD CONSTRAINT "CsatSurvey_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The SLA queues and the escalation job (ADR 024): "At risk and breached" sorted by the earliest
-- due time, and the job's two scans (due <= now, warn <= now). Partial: only running clocks.
CREATE INDEX "Ticket_sla_due_idx" ON "Ticket"("slaDueAt", "number") WHERE "slaDueAt" IS NOT NULL AND "deletedAt" IS NULL;
CREATE INDEX "Ticket_sla_warn_idx" ON "Ticket"("slaWarnAt") WHERE "slaWarnAt" IS NOT NULL AND "deletedAt" IS NULL;

-- A 24/7 calendar and the default policy exist from the start (an admin edits both).
INSERT INTO "BusinessCalendar" ("id", "name", "timeZone", "alwaysOpen", "windows", "updatedAt")
VALUES ('calendar_24_7', '24/7', 'UTC', true, '[]', CURRENT_TIMESTAMP);
INSERT INTO "SlaPolicy" ("id", "name", "position", "isDefault", "calendarId", "firstResponseMinutes", "nextResponseMinutes", "resolutionMinutes", "updatedAt")
VALUES ('sla_default', 'Default', 1000000, true, 'calendar_24_7', 240, 480, 2880, CURRENT_TIMESTAMP);
-- One default policy at most.
CREATE UNIQUE INDEX "SlaPolicy_one_default" ON "SlaPolicy"("isDefault") WHERE "isDefault";
