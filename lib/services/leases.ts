/**
 * No run is left running by a dead process. Each instance heartbeats its row; the runs it queued
 * or runs belong to it. The scheduler instance sweeps regularly: runs of instances whose heartbeat
 * stopped end (started ones FailedWithError "interrupted", queued ones Cancelled), and activities
 * reported through the API that have not reported for the heartbeat timeout end FailedWithError.
 */
import os from "node:os";
import { getConfig } from "@/lib/config";
import { findQueuedTopLevel } from "@/lib/repo/activities";
import { endAbandoned, findAbandoned } from "@/lib/repo/activity-writes";
import {
  deleteStaleInstances,
  findLiveInstanceIds,
  heartbeatInstance,
  markInstanceStopped,
  registerInstance,
} from "@/lib/repo/instances";
import { activityRecorder } from "./recorder";

/** An instance whose heartbeat is older than this is dead (its runs are ended by the sweep). */
export const INSTANCE_LEASE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
export const SWEEP_MS = 10_000;

export async function startInstance(id: string): Promise<NodeJS.Timeout> {
  await registerInstance({ id, host: os.hostname(), pid: process.pid, at: new Date() });
  const timer = setInterval(() => {
    heartbeatInstance(id, new Date()).catch((e) =>
      console.warn(`[syncwatch] instance heartbeat failed: ${(e as Error).message}`),
    );
  }, HEARTBEAT_MS);
  timer.unref();
  return timer;
}

export async function stopInstance(id: string): Promise<void> {
  await markInstanceStopped(id, new Date());
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} minute${Math.round(ms / 60_000) === 1 ? "" : "s"}`;

/**
 * Ends what no live process holds. `soleInstance`: this process is the only one that can be
 * alive (the embedded store is locked to it), so every other instance is dead at once.
 */
export async function sweepAbandoned(selfId: string, opts: { soleInstance: boolean; now?: Date }): Promise<number> {
  const now = opts.now ?? new Date();
  const timeout = getConfig().heartbeatTimeoutMs;
  const live = opts.soleInstance
    ? [selfId]
    : [...new Set([selfId, ...(await findLiveInstanceIds(new Date(now.getTime() - INSTANCE_LEASE_MS)))])];
  const abandoned = await findAbandoned(live, new Date(now.getTime() - timeout));
  let ended = 0;
  for (const a of abandoned) {
    if (a.ownerInstanceId) {
      ended += await endAbandoned(
        a.id,
        {
          failed: "Interrupted: the server stopped during the run (its process ended without finishing it).",
          cancelled: "Cancelled: the server stopped before the run started; run it again.",
        },
        now,
      );
    } else {
      const last = a.heartbeatAt ? a.heartbeatAt.toISOString() : "never";
      ended += await endAbandoned(
        a.id,
        {
          failed: `No progress reported for ${minutes(timeout)} (last report ${last}): the reporter is presumed gone.`,
          cancelled: `Cancelled: no progress reported for ${minutes(timeout)}.`,
        },
        now,
      );
    }
  }
  if (!opts.soleInstance) await deleteStaleInstances(new Date(now.getTime() - 7 * 86_400_000));
  return ended;
}

/**
 * Cancels the runs waiting in the queue. Only for a store one process owns (the embedded one):
 * nobody else will ever start them, so they are ended with the reason rather than left waiting.
 */
export async function cancelQueuedRuns(reason: string): Promise<number> {
  let n = 0;
  for (const id of await findQueuedTopLevel()) {
    await activityRecorder.cancel(id, reason).then(
      () => n++,
      () => undefined,
    );
  }
  return n;
}
