/** The statements of retention: short batches, so readers are never blocked for long. */
import { getDatabase } from "@/lib/db/client";

/**
 * Ended run-profile activities that still hold every item but are not among the `keep` latest runs
 * of their run profile and run type (so a profile's delta runs never push out its full runs).
 */
export async function findRunsBeyondKeep(keep: number): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ id: string }>(
    `SELECT r.id::text AS id FROM (
       SELECT id, "itemsKept", "itemCount",
              row_number() OVER (PARTITION BY "runProfileId", "runType" ORDER BY "createdAt" DESC, id DESC) AS rn
       FROM "Activity" WHERE "targetType" = 'ConnectedSystemRunProfile' AND status <> 'InProgress'
     ) r
     WHERE r.rn > $1::int AND r."itemsKept" = 'All'
       AND (r."itemCount" > 0 OR EXISTS (SELECT 1 FROM "ExecutionItem" i WHERE i."activityId" = r.id))`,
    [keep],
  );
  return rows.map((r) => r.id);
}

/**
 * Purges the run's items that did not fail: marks the run first (from now on its items routes
 * answer with the failed items only, or 410 when it had none), then deletes the others in
 * batches. Failed items stay as long as the run (the retention window). Returns the number of
 * items deleted.
 */
export async function purgeItemsOf(
  activityId: string,
  at: Date,
  batch: number,
): Promise<{ deleted: number; failedKept: number }> {
  const db = await getDatabase();
  const [marked] = await db.sql.query<{ failedItemCount: number }>(
    `UPDATE "Activity" SET "itemsPurgedAt" = $2::timestamptz, version = version + 1,
       "itemsKept" = (CASE WHEN "failedItemCount" > 0 THEN 'Failed' ELSE 'None' END)::"ItemsKept"
     WHERE id = $1::uuid AND "itemsKept" = 'All' RETURNING "failedItemCount"`,
    [activityId, at.toISOString()],
  );
  let deleted = 0;
  for (;;) {
    const n = await db.sql.execute(
      `DELETE FROM "ExecutionItem" WHERE id IN (SELECT id FROM "ExecutionItem"
        WHERE "activityId" = $1::uuid AND "errorType" IS NULL LIMIT $2::int)`,
      [activityId, batch],
    );
    deleted += n;
    if (n < batch) return { deleted, failedKept: Number(marked?.failedItemCount ?? 0) };
  }
}

/**
 * When the activity's top-level ancestor (the activity itself, or the schedule execution it is a
 * step of) was created: retention removes the activity, and the items it still keeps, with it.
 */
export async function findRootCreatedAt(id: string): Promise<Date | null> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ createdAt: Date | string }>(
    `WITH RECURSIVE up(id, parent, "createdAt", depth) AS (
       SELECT id, "parentActivityId", "createdAt", 0 FROM "Activity" WHERE id = $1::uuid
       UNION ALL
       SELECT a.id, a."parentActivityId", a."createdAt", up.depth + 1 FROM "Activity" a JOIN up ON a.id = up.parent
       WHERE up.depth < 100
     )
     SELECT "createdAt" FROM up WHERE parent IS NULL LIMIT 1`,
    [id],
  );
  return rows[0] ? new Date(rows[0].createdAt) : null;
}

/** Deletes ended top-level activities created before `cutoff` (children, items and samples go by cascade). */
export async function deleteActivitiesBefore(cutoff: Date, batch: number): Promise<number> {
  const db = await getDatabase();
  let deleted = 0;
  for (;;) {
    const n = await db.sql.execute(
      `DELETE FROM "Activity" WHERE id IN (
         SELECT id FROM "Activity" WHERE "createdAt" < $1::timestamptz AND "parentActivityId" IS NULL
           AND status <> 'InProgress'
         ORDER BY "createdAt" LIMIT $2::int)`,
      [cutoff.toISOString(), batch],
    );
    deleted += n;
    if (n < batch) return deleted;
  }
}

/** Failure history older than `cutoff`, and failures that recovered before it. */
export async function deleteFailureHistoryBefore(cutoff: Date): Promise<number> {
  const db = await getDatabase();
  const events = await db.sql.execute(`DELETE FROM "ObjectFailureEvent" WHERE at < $1::timestamptz`, [
    cutoff.toISOString(),
  ]);
  const failures = await db.sql.execute(
    `DELETE FROM "ObjectFailure" WHERE state = 'Recovered' AND "recoveredAt" < $1::timestamptz`,
    [cutoff.toISOString()],
  );
  return events + failures;
}

export async function deleteExpiredSessions(now: Date): Promise<number> {
  const db = await getDatabase();
  return db.sql.execute(`DELETE FROM "Session" WHERE "expiresAt" < $1::timestamptz`, [now.toISOString()]);
}
