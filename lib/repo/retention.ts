/** The statements of retention: short batches, so readers are never blocked for long. */
import { getDatabase } from "@/lib/db/client";

/** Ended run-profile activities that still hold items but are not among the `keep` latest runs of their run profile. */
export async function findRunsBeyondKeep(keep: number): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ id: string }>(
    `SELECT r.id::text AS id FROM (
       SELECT id, "itemsPurgedAt", "itemCount",
              row_number() OVER (PARTITION BY "runProfileId" ORDER BY "createdAt" DESC, id DESC) AS rn
       FROM "Activity" WHERE "targetType" = 'ConnectedSystemRunProfile' AND status <> 'InProgress'
     ) r
     WHERE r.rn > $1::int AND r."itemsPurgedAt" IS NULL
       AND (r."itemCount" > 0 OR EXISTS (SELECT 1 FROM "ExecutionItem" i WHERE i."activityId" = r.id))`,
    [keep],
  );
  return rows.map((r) => r.id);
}

/**
 * Marks the run's items as purged (from now on its items routes answer 410), then deletes them
 * in batches. Returns the number of items deleted.
 */
export async function purgeItemsOf(activityId: string, at: Date, batch: number): Promise<number> {
  const db = await getDatabase();
  await db.sql.execute(
    `UPDATE "Activity" SET "itemsPurgedAt" = $2::timestamptz, version = version + 1 WHERE id = $1::uuid
      AND "itemsPurgedAt" IS NULL`,
    [activityId, at.toISOString()],
  );
  let deleted = 0;
  for (;;) {
    const n = await db.sql.execute(
      `DELETE FROM "ExecutionItem" WHERE id IN (SELECT id FROM "ExecutionItem"
        WHERE "activityId" = $1::uuid LIMIT $2::int)`,
      [activityId, batch],
    );
    deleted += n;
    if (n < batch) return deleted;
  }
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
