-- The Failures page reads, for each open failure of the groups shown, its Failed events: their error
-- type, template and time for the message templates (lib/repo/failures.ts failureTemplates), their
-- run or schedule execution for "failed in this run" (activityId=). Through ("failureId",
-- "activityId") each event was a table read (3,080 open failures at 1M activities: the templates
-- 16,340 buffers, 22 ms); from this index alone, 12,417 buffers and 15 ms. Only Failed events, so
-- ingestion pays one entry per failed object, not per item.
CREATE INDEX "ObjectFailureEvent_failed_idx" ON "ObjectFailureEvent" ("failureId") INCLUDE ("errorType", "errorTemplate", at, "activityId", "scheduleExecutionId") WHERE kind = 'Failed';
