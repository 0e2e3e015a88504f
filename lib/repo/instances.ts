/**
 * Server instances and their leases. Each instance heartbeats its row; the runs it owns are alive
 * for as long as the heartbeat is. One instance at a time holds the scheduler lock and runs the
 * engine's queue and timers.
 */
import { getDatabase } from "@/lib/db/client";

const SCHEDULER_LOCK = 72016002;

export async function registerInstance(row: { id: string; host: string; pid: number; at: Date }): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(
    `INSERT INTO "ServerInstance" (id, host, pid, "startedAt", "heartbeatAt") VALUES ($1, $2, $3::int,
      $4::timestamptz, $4::timestamptz)
     ON CONFLICT (id) DO UPDATE SET "heartbeatAt" = $4::timestamptz, "stoppedAt" = NULL`,
    [row.id, row.host, row.pid, row.at.toISOString()],
  );
}

export async function heartbeatInstance(id: string, at: Date): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(`UPDATE "ServerInstance" SET "heartbeatAt" = $2::timestamptz WHERE id = $1`, [
    id,
    at.toISOString(),
  ]);
}

export async function markInstanceStopped(id: string, at: Date): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(`UPDATE "ServerInstance" SET "stoppedAt" = $2::timestamptz WHERE id = $1`, [
    id,
    at.toISOString(),
  ]);
}

/** Instances whose heartbeat is newer than `since` and that have not stopped. */
export async function findLiveInstanceIds(since: Date): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ id: string }>(
    `SELECT id FROM "ServerInstance" WHERE "heartbeatAt" >= $1::timestamptz AND "stoppedAt" IS NULL`,
    [since.toISOString()],
  );
  return rows.map((r) => r.id);
}

/** Forgets instances that stopped or went silent long ago. */
export async function deleteStaleInstances(before: Date): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(`DELETE FROM "ServerInstance" WHERE "heartbeatAt" < $1::timestamptz`, [before.toISOString()]);
}

/** Tries to become the scheduler; null while another instance is. */
export async function trySchedulerLock(onLost: () => void) {
  const db = await getDatabase();
  return db.tryLock(SCHEDULER_LOCK, onLost);
}

/** A round trip to the store (health checks). */
export async function pingStore(): Promise<void> {
  const db = await getDatabase();
  await db.sql.query("SELECT 1");
}
