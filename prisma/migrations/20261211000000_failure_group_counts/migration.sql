-- The Failures page's groups, pre-aggregated: per (state, error type, connected system, object type,
-- the system's name as the rows carry it), the number of ObjectFailure rows. Kept exact in the same
-- transaction as every change of ObjectFailure by statement-level triggers over transition tables
-- (ingestion's upserts, recoveries, retention's deletes, anything else that writes the table). Rows
-- that drop to 0 stay (readers skip them): a delete could otherwise wait on rows outside the key order.
CREATE TABLE "FailureGroup" (
    "id" BIGSERIAL NOT NULL,
    "state" "ObjectFailureState" NOT NULL,
    "errorType" "ExecutionErrorType" NOT NULL,
    "connectedSystemId" INTEGER NOT NULL,
    "objectType" TEXT,
    "connectedSystemName" TEXT NOT NULL,
    "objects" INTEGER NOT NULL,

    CONSTRAINT "FailureGroup_pkey" PRIMARY KEY ("id")
);

-- objectType is nullable: NULL is one group, as GROUP BY makes it.
CREATE UNIQUE INDEX "FailureGroup_key" ON "FailureGroup"("state", "errorType", "connectedSystemId", "objectType", "connectedSystemName") NULLS NOT DISTINCT;

-- The deltas of one statement, applied in the key's order: concurrent writers lock the rows they
-- share in the same order, so they wait for each other but never deadlock.
CREATE FUNCTION "syncwatch_failure_groups"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "FailureGroup";
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FailureGroup" AS g (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName", objects)
    SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", count(*)::int
      FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName")
      DO UPDATE SET objects = g.objects + EXCLUDED.objects;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "FailureGroup" AS g (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName", objects)
    SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", sum(n)::int
      FROM (SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", 1 AS n FROM new_rows
            UNION ALL
            SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", -1 FROM old_rows) d
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName")
      DO UPDATE SET objects = g.objects + EXCLUDED.objects;
  ELSE
    INSERT INTO "FailureGroup" AS g (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName", objects)
    SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", -count(*)::int
      FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName")
      DO UPDATE SET objects = g.objects + EXCLUDED.objects;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ObjectFailure_groups_insert" AFTER INSERT ON "ObjectFailure" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "syncwatch_failure_groups"();
CREATE TRIGGER "ObjectFailure_groups_update" AFTER UPDATE ON "ObjectFailure"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "syncwatch_failure_groups"();
CREATE TRIGGER "ObjectFailure_groups_delete" AFTER DELETE ON "ObjectFailure" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "syncwatch_failure_groups"();
CREATE TRIGGER "ObjectFailure_groups_truncate" AFTER TRUNCATE ON "ObjectFailure"
  FOR EACH STATEMENT EXECUTE FUNCTION "syncwatch_failure_groups"();

-- Backfill: the triggers above hold writers off ObjectFailure until this migration commits.
INSERT INTO "FailureGroup" (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName", objects)
SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", count(*)::int
  FROM "ObjectFailure" GROUP BY 1, 2, 3, 4, 5;

-- newObjects of the groups shown (first seen since the range's start, last seen in the range),
-- counted from the index alone; it serves the group filters the 4-column index it replaces did.
DROP INDEX "ObjectFailure_state_lastErrorType_connectedSystemId_objectT_idx";
CREATE INDEX "ObjectFailure_group_firstSeenAt_idx" ON "ObjectFailure"("state", "lastErrorType", "connectedSystemId", "objectType", "firstSeenAt", "lastSeenAt");
