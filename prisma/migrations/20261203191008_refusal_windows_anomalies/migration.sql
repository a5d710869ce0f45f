-- CreateTable
CREATE TABLE "RefusalWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "windowEnd" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "sample" JSONB NOT NULL,
    "summarizedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RefusalWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "SecurityAnomaly" (
    "id" BIGSERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "userId" TEXT,
    "auditEventId" BIGINT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedById" TEXT,

    CONSTRAINT "SecurityAnomaly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditCursor" (
    "name" TEXT NOT NULL,
    "lastId" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditCursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "UserNotice" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMPTZ(3),

    CONSTRAINT "UserNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RefusalWindow_summarizedAt_windowEnd_idx" ON "RefusalWindow"("summarizedAt", "windowEnd");

-- CreateIndex
CREATE INDEX "SecurityAnomaly_acknowledgedAt_id_idx" ON "SecurityAnomaly"("acknowledgedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityAnomaly_rule_key_windowStart_key" ON "SecurityAnomaly"("rule", "key", "windowStart");

-- CreateIndex
CREATE INDEX "UserNotice_userId_readAt_createdAt_idx" ON "UserNotice"("userId", "readAt", "createdAt");
