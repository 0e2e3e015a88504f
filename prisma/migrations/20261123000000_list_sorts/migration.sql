-- The list sorts by target and initiator too, and pages every sort by (column, id): one B-tree
-- per sort serves page 1 and any cursor page without sorting the table.

-- AlterTable
ALTER TABLE "Activity" ADD COLUMN "targetName" TEXT NOT NULL DEFAULT '';

UPDATE "Activity" SET "targetName" = COALESCE(
  "scheduleName",
  "connectedSystemName" || COALESCE(' / ' || "runProfileName", ''),
  "targetType"::text
);

-- DropIndex: superseded by the (column, id) keyset indexes below
DROP INDEX "Activity_totalObjectErrors_createdAt_idx";
DROP INDEX "Activity_executionTimeMs_createdAt_idx";

-- CreateIndex
CREATE INDEX "Activity_name_id_idx" ON "Activity"("name", "id");
CREATE INDEX "Activity_targetName_id_idx" ON "Activity"("targetName", "id");
CREATE INDEX "Activity_targetType_id_idx" ON "Activity"("targetType", "id");
CREATE INDEX "Activity_initiatorName_id_idx" ON "Activity"("initiatorName", "id");
CREATE INDEX "Activity_status_id_idx" ON "Activity"("status", "id");
CREATE INDEX "Activity_executionTimeMs_id_idx" ON "Activity"("executionTimeMs", "id");
CREATE INDEX "Activity_totalObjectsProcessed_id_idx" ON "Activity"("totalObjectsProcessed", "id");
CREATE INDEX "Activity_totalObjectChangeCount_id_idx" ON "Activity"("totalObjectChangeCount", "id");
CREATE INDEX "Activity_totalObjectErrors_id_idx" ON "Activity"("totalObjectErrors", "id");
