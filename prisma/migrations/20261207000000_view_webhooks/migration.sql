-- Outgoing webhooks of saved views ("a run matching this view failed"), their delivery log, and the
-- queue of failed runs waiting to be matched. See docs/webhooks.md.

-- CreateEnum
CREATE TYPE "WebhookDeliveryState" AS ENUM ('Pending', 'Delivered', 'Failed');

-- CreateTable
CREATE TABLE "ViewWebhook" (
    "id" UUID NOT NULL,
    "savedViewId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "secretPrefix" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ViewWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "activityId" UUID NOT NULL,
    "activityName" TEXT NOT NULL,
    "activityStatus" "ActivityStatus" NOT NULL,
    "body" TEXT NOT NULL,
    "state" "WebhookDeliveryState" NOT NULL DEFAULT 'Pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lockedUntil" TIMESTAMPTZ(3),
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunFailedEvent" (
    "id" BIGSERIAL NOT NULL,
    "activityId" UUID NOT NULL,
    "status" "ActivityStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunFailedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ViewWebhook_savedViewId_key" ON "ViewWebhook"("savedViewId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_state_nextAttemptAt_idx" ON "WebhookDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_id_idx" ON "WebhookDelivery"("webhookId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_createdAt_idx" ON "WebhookDelivery"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_activityId_key" ON "WebhookDelivery"("webhookId", "activityId");

-- AddForeignKey
ALTER TABLE "ViewWebhook" ADD CONSTRAINT "ViewWebhook_savedViewId_fkey" FOREIGN KEY ("savedViewId") REFERENCES "SavedView"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "ViewWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written (Prisma's schema cannot express it): a run that ends with errors is queued for the
-- webhooks in the same transaction that ends it, whatever ended it (the engine, a reporter's
-- completion, a cancel, the sweep of abandoned runs), once: only the InProgress -> error status
-- transition fires. Nothing is queued while no webhook is enabled.
CREATE FUNCTION "syncwatch_queue_run_failed"() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "ViewWebhook" WHERE enabled) THEN
    INSERT INTO "RunFailedEvent" ("activityId", status) VALUES (NEW.id, NEW.status);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Activity_run_failed" AFTER UPDATE OF status ON "Activity" FOR EACH ROW
  WHEN (OLD.status = 'InProgress' AND NEW.status IN ('CompleteWithError', 'FailedWithError'))
  EXECUTE FUNCTION "syncwatch_queue_run_failed"();
