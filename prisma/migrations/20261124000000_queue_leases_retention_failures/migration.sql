-- CreateEnum
CREATE TYPE "ApiKeySource" AS ENUM ('Environment', 'Generated', 'Api');

-- CreateEnum
CREATE TYPE "FailureRecurrence" AS ENUM ('New', 'Recurring');

-- CreateEnum
CREATE TYPE "ObjectFailureState" AS ENUM ('Open', 'Recovered');

-- CreateEnum
CREATE TYPE "ObjectFailureEventKind" AS ENUM ('Failed', 'Recovered');

-- CreateEnum
CREATE TYPE "SavedViewScope" AS ENUM ('Activities', 'Failures');

-- AlterTable
ALTER TABLE "Schedule" ADD COLUMN     "nextRunAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "ScheduleStep" ADD COLUMN     "parallelGroup" INTEGER;

-- AlterTable
ALTER TABLE "Activity" ADD COLUMN     "errorTypeCounts" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "heartbeatAt" TIMESTAMPTZ(3),
ADD COLUMN     "itemCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "itemsPurgedAt" TIMESTAMPTZ(3),
ADD COLUMN     "objectTypeCounts" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "ownerInstanceId" TEXT,
ADD COLUMN     "phases" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "plannedSteps" JSONB,
ADD COLUMN     "previousRunId" UUID,
ADD COLUMN     "queueKey" TEXT,
ADD COLUMN     "scheduleExecutionId" UUID,
ADD COLUMN     "stepIndex" INTEGER;

-- AlterTable
ALTER TABLE "ExecutionItem" ADD COLUMN     "recurrence" "FailureRecurrence";

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "source" "ApiKeySource" NOT NULL DEFAULT 'Api';

-- CreateTable
CREATE TABLE "ObjectFailure" (
    "id" UUID NOT NULL,
    "connectedSystemId" INTEGER NOT NULL,
    "connectedSystemName" TEXT NOT NULL,
    "objectKey" TEXT NOT NULL,
    "externalIdValue" TEXT,
    "displayName" TEXT,
    "objectType" TEXT,
    "state" "ObjectFailureState" NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastActivityId" UUID NOT NULL,
    "lastRunProfileId" INTEGER,
    "lastRunProfileName" TEXT,
    "consecutiveRuns" INTEGER NOT NULL,
    "totalFailures" INTEGER NOT NULL,
    "lastErrorType" "ExecutionErrorType" NOT NULL,
    "lastErrorMessage" TEXT,
    "recoveredAt" TIMESTAMPTZ(3),
    "recoveredActivityId" UUID,

    CONSTRAINT "ObjectFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObjectFailureEvent" (
    "id" BIGSERIAL NOT NULL,
    "failureId" UUID NOT NULL,
    "kind" "ObjectFailureEventKind" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "activityId" UUID NOT NULL,
    "activityName" TEXT NOT NULL,
    "runProfileId" INTEGER,
    "connectedSystemId" INTEGER NOT NULL,
    "objectType" TEXT,
    "errorType" "ExecutionErrorType",
    "errorMessage" TEXT,

    CONSTRAINT "ObjectFailureEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedView" (
    "id" UUID NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "scope" "SavedViewScope" NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "apiKeyId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "statusCode" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("apiKeyId","key")
);

-- CreateTable
CREATE TABLE "ServerInstance" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL,
    "stoppedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ServerInstance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ObjectFailure_state_lastErrorType_connectedSystemId_objectT_idx" ON "ObjectFailure"("state", "lastErrorType", "connectedSystemId", "objectType");

-- CreateIndex
CREATE INDEX "ObjectFailure_state_lastSeenAt_id_idx" ON "ObjectFailure"("state", "lastSeenAt" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "ObjectFailure_connectedSystemId_objectKey_key" ON "ObjectFailure"("connectedSystemId", "objectKey");

-- CreateIndex
CREATE INDEX "ObjectFailureEvent_failureId_activityId_idx" ON "ObjectFailureEvent"("failureId", "activityId");

-- CreateIndex
CREATE INDEX "ObjectFailureEvent_at_connectedSystemId_idx" ON "ObjectFailureEvent"("at", "connectedSystemId");

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_apiKeyId_scope_name_key" ON "SavedView"("apiKeyId", "scope", "name");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");

-- CreateIndex
CREATE INDEX "ServerInstance_heartbeatAt_idx" ON "ServerInstance"("heartbeatAt");

-- CreateIndex
CREATE INDEX "Activity_scheduleExecutionId_stepIndex_idx" ON "Activity"("scheduleExecutionId", "stepIndex");

-- CreateIndex
CREATE INDEX "ExecutionItem_connectedSystemId_externalIdValue_idx" ON "ExecutionItem"("connectedSystemId", "externalIdValue");

-- AddForeignKey
ALTER TABLE "ObjectFailureEvent" ADD CONSTRAINT "ObjectFailureEvent_failureId_fkey" FOREIGN KEY ("failureId") REFERENCES "ObjectFailure"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedView" ADD CONSTRAINT "SavedView_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---- written by hand ----

-- Queued runs (InProgress, not started) per lane, oldest first: the dispatcher and queuePosition.
CREATE INDEX "Activity_queue_idx" ON "Activity" ("queueKey", "createdAt", "id") WHERE "status" = 'InProgress' AND "startedAt" IS NULL;
-- Running activities: the lease and heartbeat sweep.
CREATE INDEX "Activity_running_idx" ON "Activity" ("ownerInstanceId", "heartbeatAt") WHERE "status" = 'InProgress';

-- Existing schedule steps become steps of their execution, numbered in the order they ran.
UPDATE "Activity" c SET "scheduleExecutionId" = s."parentActivityId", "stepIndex" = s.rn
FROM (
  SELECT a.id, a."parentActivityId", row_number() OVER (PARTITION BY a."parentActivityId" ORDER BY a."createdAt", a.id) AS rn
  FROM "Activity" a JOIN "Activity" p ON p.id = a."parentActivityId" AND p."targetType" = 'Schedule'
) s
WHERE c.id = s.id;
UPDATE "Activity" c SET "scheduleId" = p."scheduleId", "scheduleName" = p."scheduleName"
FROM "Activity" p WHERE c."scheduleExecutionId" = p.id AND c."scheduleId" IS NULL;

-- Item counts and the per-type counts that outlive the items.
UPDATE "Activity" a SET "itemCount" = x.n
FROM (SELECT "activityId", count(*)::int AS n FROM "ExecutionItem" GROUP BY "activityId") x
WHERE a.id = x."activityId";
UPDATE "Activity" a SET "errorTypeCounts" = x.counts
FROM (
  SELECT "activityId", jsonb_object_agg(t, n) AS counts FROM (
    SELECT "activityId", "errorType"::text AS t, count(*)::int AS n FROM "ExecutionItem"
    WHERE "errorType" IS NOT NULL GROUP BY "activityId", "errorType"
  ) s GROUP BY "activityId"
) x
WHERE a.id = x."activityId";
UPDATE "Activity" a SET "objectTypeCounts" = x.counts
FROM (
  SELECT "activityId", jsonb_object_agg(t, n) AS counts FROM (
    SELECT "activityId", "connectedSystemObjectType" AS t, count(*)::int AS n FROM "ExecutionItem"
    WHERE "connectedSystemObjectType" IS NOT NULL GROUP BY "activityId", "connectedSystemObjectType"
  ) s GROUP BY "activityId"
) x
WHERE a.id = x."activityId";
-- Ended runs without items had them removed by retention (the time is unknown: use the end).
UPDATE "Activity" SET "itemsPurgedAt" = "endedAt"
WHERE "targetType" = 'ConnectedSystemRunProfile' AND "status" <> 'InProgress' AND "itemCount" = 0 AND "totalObjectChangeCount" + "totalObjectErrors" > 0;

UPDATE "ApiKey" SET "source" = 'Environment' WHERE "name" = 'Environment administrator key';
UPDATE "ApiKey" SET "source" = 'Generated' WHERE "name" = 'Administrator key (generated)';

-- Change signal: every instance LISTENs and learns of each activity write at commit, whoever
-- made it (payload: id, version, status, parent id or "-", object errors).
CREATE FUNCTION "syncwatch_notify_activity"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('syncwatch_activity', '*');
    RETURN NULL;
  END IF;
  PERFORM pg_notify('syncwatch_activity', NEW.id::text || ' ' || NEW.version || ' ' || NEW.status || ' ' || COALESCE(NEW."parentActivityId"::text, '-') || ' ' || NEW."totalObjectErrors");
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER "Activity_notify" AFTER INSERT OR UPDATE ON "Activity" FOR EACH ROW EXECUTE FUNCTION "syncwatch_notify_activity"();
CREATE TRIGGER "Activity_notify_delete" AFTER DELETE ON "Activity" FOR EACH STATEMENT EXECUTE FUNCTION "syncwatch_notify_activity"();
