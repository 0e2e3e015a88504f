-- The same cold path for status and target type (issue 16): a status most runs only reach as
-- schedule steps (FailedWithError) was found by walking the (status, createdAt) index past every
-- step, ~250 ms for the first page of top-level runs at 1M activities. Top-level rows only.
CREATE INDEX "Activity_toplevel_status_idx" ON "Activity" ("status", "createdAt" DESC) WHERE "parentActivityId" IS NULL;
CREATE INDEX "Activity_toplevel_targetType_idx" ON "Activity" ("targetType", "createdAt" DESC) WHERE "parentActivityId" IS NULL;
