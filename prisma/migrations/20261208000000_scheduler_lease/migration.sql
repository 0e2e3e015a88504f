-- The scheduler lease: one row, held by the instance that runs the queue and the schedules until
-- "expiresAt" (database time). The holder renews it; any instance may take it once it expired,
-- and each taking increments "token", the fencing token the holder's writes are checked against.
-- Replaces the session advisory lock, which a frozen (SIGSTOPped) process kept for good.
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "token" BIGINT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "renewedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SchedulerLease_pkey" PRIMARY KEY ("name")
);
