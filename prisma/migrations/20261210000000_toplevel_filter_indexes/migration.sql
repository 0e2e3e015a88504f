-- Run filters at 1M activities (issue 16): only ~13 % of activities are top-level, so a system's
-- or a run profile's top-level runs were found by AND-ing two large bitmaps (100+ ms), and runType
-- had no index at all (a parallel scan of every row: ~1 s to count the steps it matches).
-- The partial indexes cover top-level rows only: steps never enter them.
CREATE INDEX "Activity_runType_createdAt_idx" ON "Activity" ("runType", "createdAt" DESC);
CREATE INDEX "Activity_toplevel_runType_idx" ON "Activity" ("runType", "createdAt" DESC) WHERE "parentActivityId" IS NULL;
CREATE INDEX "Activity_toplevel_connectedSystemId_idx" ON "Activity" ("connectedSystemId", "createdAt" DESC) WHERE "parentActivityId" IS NULL;
CREATE INDEX "Activity_toplevel_runProfileId_idx" ON "Activity" ("runProfileId", "createdAt" DESC) WHERE "parentActivityId" IS NULL;
