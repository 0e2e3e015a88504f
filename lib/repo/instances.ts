/**
 * Server instances and their leases. Each instance heartbeats its row; the runs it owns are alive
 * for as long as the heartbeat is. One instance at a time holds the scheduler lease (a row that
 * expires on its own, in database time) and runs the engine's queue and timers; each takeover
 * increments its fencing token, which the holder's claims on the queue and the schedules are
 * checked against in the same statement.
 */
import { getDatabase, type StoreHealth } from "@/lib/db/client";

/** The holder and the token of a scheduler lease taken by this process. */
export interface LeaseFence {
  holder: string;
  token: string;
}

const LEASE = "scheduler";

/**
 * SQL true while `fence` (parameters $holder, $token) still holds the scheduler lease: the
 * condition the holder's claims carry, so a holder that was frozen past its expiry acts on nothing.
 */
export const leaseHeldSql = (holderParam: string, tokenParam: string) =>
  `EXISTS (SELECT 1 FROM "SchedulerLease" WHERE name = '${LEASE}' AND holder = ${holderParam}
    AND token = ${tokenParam}::bigint AND "expiresAt" > now())`;

/**
 * Takes the scheduler lease when it is free or expired (with `force`, at once: a store only this
 * process can open) with a new fencing token; null while another instance holds it.
 */
export async function acquireSchedulerLease(holder: string, ttlMs: number, force = false): Promise<LeaseFence | null> {
  const db = await getDatabase();
  const [row] = await db.sql.query<{ token: string }>(
    `INSERT INTO "SchedulerLease" (name, holder, token, "expiresAt", "renewedAt")
     VALUES ('${LEASE}', $1, 1, now() + $2::int * interval '1 millisecond', now())
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, token = "SchedulerLease".token + 1,
       "expiresAt" = EXCLUDED."expiresAt", "renewedAt" = EXCLUDED."renewedAt"
     WHERE "SchedulerLease"."expiresAt" <= now() OR $3::boolean
     RETURNING token::text AS token`,
    [holder, ttlMs, force],
  );
  return row ? { holder, token: row.token } : null;
}

/**
 * Extends the lease while it is still held by `fence`; false once it expired or was taken over.
 * `sole`: a store only this process can open (the embedded one), where an expired lease is still
 * this process's own until it is taken over.
 */
export async function renewSchedulerLease(fence: LeaseFence, ttlMs: number, sole = false): Promise<boolean> {
  const db = await getDatabase();
  const n = await db.sql.execute(
    `UPDATE "SchedulerLease" SET "expiresAt" = now() + $3::int * interval '1 millisecond', "renewedAt" = now()
     WHERE name = '${LEASE}' AND holder = $1 AND token = $2::bigint AND ("expiresAt" > now() OR $4::boolean)`,
    [fence.holder, fence.token, ttlMs, sole],
  );
  return n === 1;
}

/** Gives the lease up at once (shutdown), so another instance need not wait for it to expire. */
export async function releaseSchedulerLease(fence: LeaseFence): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(
    `UPDATE "SchedulerLease" SET "expiresAt" = now() WHERE name = '${LEASE}' AND holder = $1 AND token = $2::bigint`,
    [fence.holder, fence.token],
  );
}

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

/** Whether the store answers and has room for writes (health checks). */
export async function storeHealth(): Promise<StoreHealth> {
  let db: Awaited<ReturnType<typeof getDatabase>>;
  try {
    db = await getDatabase();
  } catch (error) {
    return { state: "unavailable", reason: error instanceof Error ? error.message : String(error) };
  }
  return db.health();
}
