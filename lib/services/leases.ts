/**
 * No run is left running by a dead process, nor by a live one that lost track of it. Each
 * instance heartbeats its row; the runs it queued or runs belong to it. The scheduler instance
 * sweeps regularly: runs of instances whose heartbeat stopped end (started ones FailedWithError
 * "interrupted", queued ones Cancelled), and activities reported through the API that have not
 * reported for the heartbeat timeout end FailedWithError. Every instance also checks its own runs
 * against what its engine drives (a run it no longer drives holds its lane for nothing). One
 * instance at a time holds the scheduler lease, which expires on its own.
 */
import os from "node:os";
import { getConfig } from "@/lib/config";
import { findOwnedOpen, findQueuedTopLevel } from "@/lib/repo/activities";
import { endAbandoned, findAbandoned } from "@/lib/repo/activity-writes";
import {
  acquireSchedulerLease,
  deleteStaleInstances,
  findLiveInstanceIds,
  heartbeatInstance,
  markInstanceStopped,
  registerInstance,
  releaseSchedulerLease,
  renewSchedulerLease,
  type LeaseFence,
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
 * Ends the runs this instance owns that its engine does not drive any more (`drives`): they were
 * started here, but the code that wrote them is gone (a store outage cut them off, or a claim's
 * answer was lost), so nobody will ever end them and their lanes would wait for good.
 */
export async function endUndrivenRuns(selfId: string, drives: (id: string) => boolean): Promise<number> {
  let ended = 0;
  for (const id of await findOwnedOpen(selfId)) {
    if (drives(id)) continue;
    ended += await endAbandoned(
      id,
      {
        failed: "Interrupted: the server lost track of the run (its store was out of reach while it ran).",
        cancelled: "Cancelled: the server lost track of the run before it started; run it again.",
      },
      new Date(),
    );
  }
  return ended;
}

/** How long a scheduler lease lasts unless renewed (database time), and how often it is renewed. */
export const LEASE_TTL_MS = 15_000;
const LEASE_RENEW_MS = 3_000;
const LEASE_ACQUIRE_MS = 5_000;
/** The holder acts only while this much of the lease's term is left, by its own clock. */
const LEASE_MARGIN_MS = 3_000;

/**
 * This instance's side of the scheduler lease. The holder renews it every few seconds; while its
 * term (measured on this process's monotonic clock from before the renewal was sent) has not run
 * out it leads: it may start queued runs and fire schedules, each claim carrying the fence (holder
 * and token) that the store checks. A holder that was frozen past its term (SIGSTOP) finds on
 * waking that it no longer leads before it does anything, and steps down when the renewal is
 * refused; another instance took the lease once it expired (within LEASE_TTL_MS + LEASE_ACQUIRE_MS).
 */
export class SchedulerLeadership {
  private lease: { fence: LeaseFence; validUntil: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly instanceId: string,
    private readonly events: {
      /** This instance now leads (first time, or again). */
      onLead(): Promise<void> | void;
      onStepDown(reason: string): void;
    },
    /** Take the lease even before it expired: a store only this process can open (the embedded one). */
    private readonly sole = false,
  ) {}

  leading(): boolean {
    // On a store only this process can open, a renewal held up past the term (the event loop busy
    // writing the demo history) loses nothing: nobody else can have taken the lease meanwhile.
    return this.lease !== null && !this.stopped && (this.sole || performance.now() < this.lease.validUntil);
  }

  fence(): LeaseFence | null {
    return this.leading() ? this.lease!.fence : null;
  }

  start(): Promise<void> {
    return this.tick();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let next = LEASE_ACQUIRE_MS;
    try {
      const sent = performance.now();
      if (this.lease) {
        if (await renewSchedulerLease(this.lease.fence, LEASE_TTL_MS, this.sole)) {
          this.lease.validUntil = sent + LEASE_TTL_MS - LEASE_MARGIN_MS;
          next = LEASE_RENEW_MS;
        } else {
          this.stepDown("its scheduler lease expired and another instance may hold it now");
          next = 0;
        }
      } else {
        const fence = await acquireSchedulerLease(this.instanceId, LEASE_TTL_MS, this.sole);
        if (fence && !this.stopped) {
          this.lease = { fence, validUntil: sent + LEASE_TTL_MS - LEASE_MARGIN_MS };
          next = LEASE_RENEW_MS;
          // Not awaited: the renewals must go on while the engine starts.
          void Promise.resolve()
            .then(() => this.events.onLead())
            .catch((e) => console.warn(`[syncwatch] could not start leading: ${(e as Error)?.message ?? e}`));
        }
      }
    } catch (e) {
      // The store is out of reach: the term runs out on its own; step down once it has.
      if (this.lease && !this.leading()) this.stepDown(`the store was out of reach (${(e as Error)?.message ?? e})`);
      next = this.lease ? LEASE_RENEW_MS : LEASE_ACQUIRE_MS;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), next);
    this.timer.unref();
  }

  private stepDown(reason: string) {
    if (!this.lease) return;
    this.lease = null;
    this.events.onStepDown(reason);
  }

  /** Shutdown: gives the lease up at once, so another instance takes it without waiting for it to expire. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const held = this.lease;
    this.lease = null;
    if (held) await releaseSchedulerLease(held.fence).catch(() => undefined);
  }
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
