-- Triage (issue 14): retention keeps failed items for the whole retention window (itemsKept says
-- what a purge left), a run's failed items are counted as they arrive (failedItemCount: the floor of
-- totalObjectErrors), failures remember the run their streak began in (New / Recurring) and carry
-- the message template and the schedule execution of the run (Failures by run, by execution, by
-- template).

-- CreateEnum
CREATE TYPE "ItemsKept" AS ENUM ('All', 'Failed', 'None');

-- AlterTable
ALTER TABLE "Activity" ADD COLUMN "itemsKept" "ItemsKept" NOT NULL DEFAULT 'All',
ADD COLUMN "failedItemCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ObjectFailure" ADD COLUMN "streakActivityId" UUID;
ALTER TABLE "ObjectFailureEvent" ADD COLUMN "errorTemplate" TEXT,
ADD COLUMN "scheduleExecutionId" UUID;

-- Runs purged before this kept nothing.
UPDATE "Activity" SET "itemsKept" = 'None' WHERE "itemsPurgedAt" IS NOT NULL;

-- Failed items of ended runs are in their per-type counts; running runs count their items.
UPDATE "Activity" a SET "failedItemCount" = s.n
FROM (
  SELECT id, (SELECT COALESCE(sum(value::int), 0) FROM jsonb_each_text("errorTypeCounts"))::int AS n
  FROM "Activity" WHERE "errorTypeCounts" <> '{}'::jsonb
) s
WHERE a.id = s.id AND s.n > 0;
UPDATE "Activity" a SET "failedItemCount" = (
  SELECT count(*)::int FROM "ExecutionItem" i WHERE i."activityId" = a.id AND i."errorType" IS NOT NULL
)
WHERE a.status = 'InProgress' AND a."targetType" = 'ConnectedSystemRunProfile' AND a."itemCount" > 0;
-- A run never says fewer errors than the failed items it recorded.
UPDATE "Activity" SET "totalObjectErrors" = "failedItemCount" WHERE "totalObjectErrors" < "failedItemCount";

UPDATE "ObjectFailureEvent" e SET "scheduleExecutionId" = a."scheduleExecutionId"
FROM "Activity" a
WHERE a.id = e."activityId" AND a."scheduleExecutionId" IS NOT NULL;

-- The run that began each failure's current streak: its first failure since firstSeenAt.
UPDATE "ObjectFailure" f SET "streakActivityId" = (
  SELECT e."activityId" FROM "ObjectFailureEvent" e
  WHERE e."failureId" = f.id AND e.kind = 'Failed' AND e.at >= f."firstSeenAt"
  ORDER BY e.at, e.id LIMIT 1
);

-- CreateIndex
CREATE INDEX "ObjectFailureEvent_activityId_idx" ON "ObjectFailureEvent"("activityId");
CREATE INDEX "ObjectFailureEvent_scheduleExecutionId_idx" ON "ObjectFailureEvent"("scheduleExecutionId");
