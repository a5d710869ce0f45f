-- CreateTable
CREATE TABLE "SecurityOutbox" (
    "id" BIGSERIAL NOT NULL,
    "destination" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "SecurityOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SecurityOutbox_pending_idx" ON "SecurityOutbox"("nextAttemptAt", "id");

-- CreateIndex
CREATE INDEX "SecurityOutbox_deliveredAt_idx" ON "SecurityOutbox"("deliveredAt");
