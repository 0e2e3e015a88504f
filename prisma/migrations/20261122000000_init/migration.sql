-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ActivityStatus" AS ENUM ('InProgress', 'Complete', 'CompleteWithWarning', 'CompleteWithError', 'FailedWithError', 'Cancelled');

-- CreateEnum
CREATE TYPE "ActivityTargetType" AS ENUM ('ConnectedSystemRunProfile', 'Schedule', 'SchemaImport', 'DataGeneration', 'Certificate', 'ConfigurationChange');

-- CreateEnum
CREATE TYPE "InitiatorType" AS ENUM ('User', 'ApiKey', 'System');

-- CreateEnum
CREATE TYPE "RunType" AS ENUM ('FullImport', 'DeltaImport', 'FullSynchronisation', 'DeltaSynchronisation', 'Export');

-- CreateEnum
CREATE TYPE "ObjectChangeType" AS ENUM ('Add', 'Update', 'Delete', 'Disconnect');

-- CreateEnum
CREATE TYPE "ExecutionErrorType" AS ENUM ('AmbiguousMatch', 'CouldNotMatchObjectType', 'MissingExternalIdAttributeValue', 'DuplicateObject', 'UnresolvedReference', 'UnhandledError');

-- CreateEnum
CREATE TYPE "ApiKeyRole" AS ENUM ('Administrator', 'ReadOnly');

-- CreateEnum
CREATE TYPE "ConnectedSystemKind" AS ENUM ('HrSource', 'Directory', 'Application');

-- CreateTable
CREATE TABLE "ConnectedSystem" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ConnectedSystemKind" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "externalIdAttribute" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectedSystem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObjectType" (
    "id" SERIAL NOT NULL,
    "connectedSystemId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "ObjectType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunProfile" (
    "id" SERIAL NOT NULL,
    "connectedSystemId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "runType" "RunType" NOT NULL,

    CONSTRAINT "RunProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "intervalMinutes" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduleStep" (
    "id" SERIAL NOT NULL,
    "scheduleId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "runProfileId" INTEGER NOT NULL,

    CONSTRAINT "ScheduleStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Activity" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "targetType" "ActivityTargetType" NOT NULL,
    "connectedSystemId" INTEGER,
    "connectedSystemName" TEXT,
    "runProfileId" INTEGER,
    "runProfileName" TEXT,
    "runType" "RunType",
    "scheduleId" INTEGER,
    "scheduleName" TEXT,
    "status" "ActivityStatus" NOT NULL DEFAULT 'InProgress',
    "initiatorType" "InitiatorType" NOT NULL,
    "initiatorId" TEXT,
    "initiatorName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "executionTimeMs" INTEGER,
    "totalActivityTimeMs" INTEGER,
    "objectsToProcess" INTEGER,
    "objectsProcessed" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "errorMessage" TEXT,
    "errorStackTrace" TEXT,
    "warnings" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "parentActivityId" UUID,
    "childCount" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "totalObjectsProcessed" INTEGER NOT NULL DEFAULT 0,
    "totalObjectChangeCount" INTEGER NOT NULL DEFAULT 0,
    "totalUnchanged" INTEGER NOT NULL DEFAULT 0,
    "totalObjectErrors" INTEGER NOT NULL DEFAULT 0,
    "totalObjectTypes" INTEGER NOT NULL DEFAULT 0,
    "totalCsoAdds" INTEGER NOT NULL DEFAULT 0,
    "totalCsoUpdates" INTEGER NOT NULL DEFAULT 0,
    "totalCsoDeletes" INTEGER NOT NULL DEFAULT 0,
    "totalProjections" INTEGER NOT NULL DEFAULT 0,
    "totalJoins" INTEGER NOT NULL DEFAULT 0,
    "totalAttributeFlows" INTEGER NOT NULL DEFAULT 0,
    "totalDisconnections" INTEGER NOT NULL DEFAULT 0,
    "totalDisconnectedOutOfScope" INTEGER NOT NULL DEFAULT 0,
    "totalOutOfScopeRetainJoin" INTEGER NOT NULL DEFAULT 0,
    "totalDriftCorrections" INTEGER NOT NULL DEFAULT 0,
    "totalProvisioned" INTEGER NOT NULL DEFAULT 0,
    "totalExported" INTEGER NOT NULL DEFAULT 0,
    "totalDeprovisioned" INTEGER NOT NULL DEFAULT 0,
    "totalPendingExports" INTEGER NOT NULL DEFAULT 0,
    "totalPendingExportsConfirmed" INTEGER NOT NULL DEFAULT 0,
    "totalPendingExportsRetrying" INTEGER NOT NULL DEFAULT 0,
    "totalPendingExportsFailed" INTEGER NOT NULL DEFAULT 0,
    "totalCreated" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExecutionItem" (
    "id" UUID NOT NULL,
    "activityId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "externalIdValue" TEXT,
    "displayName" TEXT,
    "connectedSystemObjectType" TEXT,
    "objectChangeType" "ObjectChangeType" NOT NULL,
    "errorType" "ExecutionErrorType",
    "errorMessage" TEXT,
    "errorDetail" TEXT,
    "outcomeSummary" TEXT,
    "outcomes" JSONB NOT NULL DEFAULT '[]',
    "attributeChanges" JSONB NOT NULL DEFAULT '[]',
    "connectedSystemId" INTEGER,
    "connectedSystemObjectId" TEXT,
    "metaverseObjectId" TEXT,
    "processedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExecutionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgressSample" (
    "id" BIGSERIAL NOT NULL,
    "activityId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "objectsToProcess" INTEGER,
    "objectsProcessed" INTEGER NOT NULL,
    "totalObjectChangeCount" INTEGER NOT NULL,
    "totalObjectErrors" INTEGER NOT NULL,
    "counters" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "ProgressSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "role" "ApiKeyRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConnectedSystem_name_key" ON "ConnectedSystem"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ObjectType_connectedSystemId_name_key" ON "ObjectType"("connectedSystemId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "RunProfile_connectedSystemId_name_key" ON "RunProfile"("connectedSystemId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Schedule_name_key" ON "Schedule"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduleStep_scheduleId_position_key" ON "ScheduleStep"("scheduleId", "position");

-- CreateIndex
CREATE INDEX "Activity_createdAt_id_idx" ON "Activity"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Activity_startedAt_id_idx" ON "Activity"("startedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Activity_endedAt_id_idx" ON "Activity"("endedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Activity_status_createdAt_idx" ON "Activity"("status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_targetType_createdAt_idx" ON "Activity"("targetType", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_connectedSystemId_createdAt_idx" ON "Activity"("connectedSystemId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_runProfileId_createdAt_idx" ON "Activity"("runProfileId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_scheduleId_createdAt_idx" ON "Activity"("scheduleId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_initiatorType_initiatorName_createdAt_idx" ON "Activity"("initiatorType", "initiatorName", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_parentActivityId_createdAt_idx" ON "Activity"("parentActivityId", "createdAt");

-- CreateIndex
CREATE INDEX "Activity_totalObjectErrors_createdAt_idx" ON "Activity"("totalObjectErrors" DESC, "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Activity_executionTimeMs_createdAt_idx" ON "Activity"("executionTimeMs" DESC, "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ExecutionItem_activityId_errorType_sequence_idx" ON "ExecutionItem"("activityId", "errorType", "sequence");

-- CreateIndex
CREATE INDEX "ExecutionItem_activityId_objectChangeType_sequence_idx" ON "ExecutionItem"("activityId", "objectChangeType", "sequence");

-- CreateIndex
CREATE INDEX "ExecutionItem_activityId_connectedSystemObjectType_sequence_idx" ON "ExecutionItem"("activityId", "connectedSystemObjectType", "sequence");

-- CreateIndex
CREATE INDEX "ExecutionItem_activityId_displayName_idx" ON "ExecutionItem"("activityId", "displayName");

-- CreateIndex
CREATE UNIQUE INDEX "ExecutionItem_activityId_sequence_key" ON "ExecutionItem"("activityId", "sequence");

-- CreateIndex
CREATE INDEX "ProgressSample_activityId_at_idx" ON "ProgressSample"("activityId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- AddForeignKey
ALTER TABLE "ObjectType" ADD CONSTRAINT "ObjectType_connectedSystemId_fkey" FOREIGN KEY ("connectedSystemId") REFERENCES "ConnectedSystem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunProfile" ADD CONSTRAINT "RunProfile_connectedSystemId_fkey" FOREIGN KEY ("connectedSystemId") REFERENCES "ConnectedSystem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduleStep" ADD CONSTRAINT "ScheduleStep_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduleStep" ADD CONSTRAINT "ScheduleStep_runProfileId_fkey" FOREIGN KEY ("runProfileId") REFERENCES "RunProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_parentActivityId_fkey" FOREIGN KEY ("parentActivityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExecutionItem" ADD CONSTRAINT "ExecutionItem_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgressSample" ADD CONSTRAINT "ProgressSample_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Not expressible in schema.prisma: trigram search on names and the top-level list's partial index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Activity_name_trgm_idx" ON "Activity" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "Activity_toplevel_createdAt_idx" ON "Activity" ("createdAt" DESC, "id" DESC) WHERE "parentActivityId" IS NULL;
