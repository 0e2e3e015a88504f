import { getPrisma } from "@/lib/db/client";
import { deleteExpiredSessions } from "@/lib/repo/api-keys";
import { invalidateCounts, invalidateImmutableCounts } from "@/lib/repo/count-cache";

export interface PurgeOptions {
  /** Execution items are kept for this many most recent terminal runs of each run profile. */
  keepItemRunsPerProfile?: number;
  /** Terminal top-level activities older than this (with their children) are deleted. */
  maxActivityAgeDays?: number;
  /** Rows per DELETE statement: short statements so readers are never blocked for long. */
  batchSize?: number;
  now?: Date;
}

export interface PurgeResult {
  itemsDeleted: number;
  activitiesDeleted: number;
  runsPurgedOfItems: number;
  sessionsDeleted: number;
}

const envNumber = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n >= 0 && process.env[name]?.trim() !== "" && process.env[name] !== undefined
    ? n
    : fallback;
};

/**
 * Retention: items of run-profile activities that are not among the N most recent terminal runs
 * of their run profile, and terminal activities older than the age limit (children and items go
 * with them by cascade). Works in small batches, each its own short statement.
 */
export async function purgeExpired(opts: PurgeOptions = {}): Promise<PurgeResult> {
  // 0 keeps the items of every run.
  const keep = Math.floor(opts.keepItemRunsPerProfile ?? envNumber("SYNCWATCH_KEEP_ITEM_RUNS", 3));
  const days = opts.maxActivityAgeDays ?? envNumber("SYNCWATCH_RETENTION_DAYS", 90);
  const batch = Math.max(100, Math.floor(opts.batchSize ?? 5000));
  const now = opts.now ?? new Date();
  const prisma = await getPrisma();
  const result: PurgeResult = { itemsDeleted: 0, activitiesDeleted: 0, runsPurgedOfItems: 0, sessionsDeleted: 0 };

  const runs =
    keep === 0
      ? []
      : await prisma.$queryRawUnsafe<{ id: string }[]>(
          `SELECT r.id::text AS id FROM (
       SELECT id, row_number() OVER (PARTITION BY "runProfileId" ORDER BY "createdAt" DESC, id DESC) AS rn
       FROM "Activity" WHERE "targetType" = 'ConnectedSystemRunProfile' AND status <> 'InProgress'
     ) r
     WHERE r.rn > $1::int AND EXISTS (SELECT 1 FROM "ExecutionItem" i WHERE i."activityId" = r.id)`,
          keep,
        );
  for (const { id } of runs) {
    result.runsPurgedOfItems++;
    for (;;) {
      const n = await prisma.$executeRawUnsafe(
        `DELETE FROM "ExecutionItem" WHERE id IN (SELECT id FROM "ExecutionItem" WHERE "activityId" = $1::uuid LIMIT ${batch})`,
        id,
      );
      result.itemsDeleted += n;
      if (n < batch) break;
    }
  }

  if (days > 0) {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    const activityBatch = Math.max(10, Math.floor(batch / 10));
    for (;;) {
      const n = await prisma.$executeRawUnsafe(
        `DELETE FROM "Activity" WHERE id IN (
           SELECT id FROM "Activity" WHERE "createdAt" < $1::timestamptz AND "parentActivityId" IS NULL AND status <> 'InProgress'
           ORDER BY "createdAt" LIMIT ${activityBatch})`,
        cutoff,
      );
      result.activitiesDeleted += n;
      if (n < activityBatch) break;
    }
  }
  if (result.activitiesDeleted) invalidateCounts();
  if (result.itemsDeleted || result.activitiesDeleted) invalidateImmutableCounts();
  result.sessionsDeleted = await deleteExpiredSessions(now);
  return result;
}

const g = globalThis as unknown as { __syncwatchRetention?: { timer: NodeJS.Timeout; first: NodeJS.Timeout } };

/** setInterval takes at most 2^31 - 1 ms (about 24.8 days); a longer delay fires every 1 ms. */
export const MAX_RETENTION_INTERVAL_MINUTES = 35_000;

/**
 * Runs purgeExpired once shortly after start, then every SYNCWATCH_RETENTION_INTERVAL_MINUTES
 * (default 60, at most MAX_RETENTION_INTERVAL_MINUTES; 0 turns the job off).
 */
export function startRetentionJob(): void {
  if (g.__syncwatchRetention) return;
  const configured = envNumber("SYNCWATCH_RETENTION_INTERVAL_MINUTES", 60);
  if (configured === 0) return;
  const minutes = Math.min(Math.max(1, configured), MAX_RETENTION_INTERVAL_MINUTES);
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await purgeExpired();
      if (r.itemsDeleted || r.activitiesDeleted)
        console.log(
          `[syncwatch] retention: ${r.itemsDeleted} items of ${r.runsPurgedOfItems} older runs and ${r.activitiesDeleted} old activities deleted`,
        );
    } catch (e) {
      console.warn("[syncwatch] retention run failed:", e);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 30_000);
  first.unref();
  const timer = setInterval(run, minutes * 60_000);
  timer.unref();
  g.__syncwatchRetention = { timer, first };
}
