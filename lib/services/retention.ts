/**
 * Retention, by what matters for triage: the items of runs beyond the last N runs of each run
 * profile and run type are purged except the failed ones, which stay as long as the run itself
 * (the runs keep their counters, per-type counts and a note of when the rest went); activities
 * past the age limit go with all their items; failure history past it, expired sessions and
 * idempotency records too.
 */
import { getConfig } from "@/lib/config";
import { deleteAnswersBefore } from "@/lib/repo/idempotency";
import {
  deleteActivitiesBefore,
  deleteExpiredSessions,
  deleteFailureHistoryBefore,
  findRunsBeyondKeep,
  purgeItemsOf,
} from "@/lib/repo/retention";

export interface PurgeOptions {
  keepItemRuns?: number;
  maxActivityAgeDays?: number;
  batchSize?: number;
  now?: Date;
}

export interface PurgeResult {
  itemsDeleted: number;
  runsPurgedOfItems: number;
  failedItemsKept: number;
  activitiesDeleted: number;
  failureHistoryDeleted: number;
  sessionsDeleted: number;
}

const DAY = 86_400_000;

export async function purgeExpired(opts: PurgeOptions = {}): Promise<PurgeResult> {
  const config = getConfig().retention;
  const keep = opts.keepItemRuns ?? config.keepItemRuns;
  const days = opts.maxActivityAgeDays ?? config.days;
  const batch = Math.max(100, Math.floor(opts.batchSize ?? 5000));
  const now = opts.now ?? new Date();
  const result: PurgeResult = {
    itemsDeleted: 0,
    runsPurgedOfItems: 0,
    failedItemsKept: 0,
    activitiesDeleted: 0,
    failureHistoryDeleted: 0,
    sessionsDeleted: 0,
  };
  if (keep > 0) {
    for (const id of await findRunsBeyondKeep(keep)) {
      const purged = await purgeItemsOf(id, now, batch);
      result.itemsDeleted += purged.deleted;
      result.failedItemsKept += purged.failedKept;
      result.runsPurgedOfItems++;
    }
  }
  if (days > 0) {
    const cutoff = new Date(now.getTime() - days * DAY);
    result.activitiesDeleted = await deleteActivitiesBefore(cutoff, Math.max(10, Math.floor(batch / 10)));
    result.failureHistoryDeleted = await deleteFailureHistoryBefore(cutoff);
  }
  result.sessionsDeleted = await deleteExpiredSessions(now);
  await deleteAnswersBefore(new Date(now.getTime() - DAY));
  return result;
}

const g = globalThis as unknown as { __syncwatchRetention?: { timer: NodeJS.Timeout; first: NodeJS.Timeout } };

/** Runs purgeExpired shortly after start, then every SYNCWATCH_RETENTION_INTERVAL_MINUTES (0: never). */
export function startRetentionJob(): void {
  if (g.__syncwatchRetention) return;
  const minutes = getConfig().retention.intervalMinutes;
  if (minutes === 0) return;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await purgeExpired();
      if (r.itemsDeleted || r.activitiesDeleted)
        console.log(
          `[syncwatch] retention: ${r.itemsDeleted} items of ${r.runsPurgedOfItems} older runs (their ${r.failedItemsKept} failed items kept) and ${r.activitiesDeleted} old activities deleted`,
        );
    } catch (e) {
      // The message only: a driver's error object carries the statement's parameters.
      console.warn(`[syncwatch] retention run failed: ${(e as Error)?.message ?? e}`);
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

export function stopRetentionJob(): void {
  const r = g.__syncwatchRetention;
  if (!r) return;
  clearTimeout(r.first);
  clearInterval(r.timer);
  g.__syncwatchRetention = undefined;
}
