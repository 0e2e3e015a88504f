-- A filter's first page at 1M activities (issue 16): its count walks the filter's top-level index
-- newest first, up to 10,001 rows, in the order (createdAt DESC, id DESC). Without "id" in the
-- index, each row was read from the table (an incremental sort on id, and the id itself):
-- status=Complete took 178 ms cold for 10,001 rows, the whole of the list's count budget. With it,
-- the count is answered from the index alone. The same order serves the page itself.
-- The newest-first index of every top-level row also carries what "hasErrors" tests.
DROP INDEX "Activity_toplevel_runType_idx";
CREATE INDEX "Activity_toplevel_runType_idx" ON "Activity" ("runType", "createdAt" DESC, "id" DESC) WHERE "parentActivityId" IS NULL;
DROP INDEX "Activity_toplevel_connectedSystemId_idx";
CREATE INDEX "Activity_toplevel_connectedSystemId_idx" ON "Activity" ("connectedSystemId", "createdAt" DESC, "id" DESC) WHERE "parentActivityId" IS NULL;
DROP INDEX "Activity_toplevel_runProfileId_idx";
CREATE INDEX "Activity_toplevel_runProfileId_idx" ON "Activity" ("runProfileId", "createdAt" DESC, "id" DESC) WHERE "parentActivityId" IS NULL;
DROP INDEX "Activity_toplevel_status_idx";
CREATE INDEX "Activity_toplevel_status_idx" ON "Activity" ("status", "createdAt" DESC, "id" DESC) WHERE "parentActivityId" IS NULL;
DROP INDEX "Activity_toplevel_targetType_idx";
CREATE INDEX "Activity_toplevel_targetType_idx" ON "Activity" ("targetType", "createdAt" DESC, "id" DESC) WHERE "parentActivityId" IS NULL;
DROP INDEX "Activity_toplevel_createdAt_idx";
CREATE INDEX "Activity_toplevel_createdAt_idx" ON "Activity" ("createdAt" DESC, "id" DESC) INCLUDE ("status", "totalObjectErrors") WHERE "parentActivityId" IS NULL;
