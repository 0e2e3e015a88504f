/**
 * The run engine's recorder during store trouble. A write the store refuses because it is not
 * reachable (an outage, a restart) or has no room (a full disk) is tried again every few seconds
 * until it goes through: the run pauses where it was instead of failing, or, worse, ending in
 * memory while its row stays InProgress and its lane blocked. When the engine stops (shutdown) the
 * write gives up. Each retried write is safe to repeat: progress reports are absolute, item
 * batches idempotent per sequence, a completion or cancellation refuses a second time, and a
 * create carries the id it was first given (the engine chooses it).
 */
import { storeConditionOf, type StoreCondition } from "@/lib/db/errors";
import type { ActivityRecorder } from "@/lib/domain/recorder";

const BACKOFF_MS = [1000, 2000, 5000];

export interface PatienceOptions {
  /** True once the engine stops: a paused write then fails instead of waiting on. */
  stopped(): boolean;
  log(line: string): void;
  sleep?: (ms: number) => Promise<void>;
}

export function patientRecorder(inner: ActivityRecorder, opts: PatienceOptions): ActivityRecorder {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.()));
  let waiting = 0;
  let pausedSince: number | null = null;

  async function patiently<T>(write: () => Promise<T>): Promise<T> {
    let paused: StoreCondition | null = null;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await write();
        if (paused) resumed(true);
        return result;
      } catch (error) {
        const condition = storeConditionOf(error);
        if (!condition || opts.stopped()) {
          // Stopped: the write is given up, not taken; the store is no better than it was.
          if (paused) resumed(!condition);
          throw error;
        }
        if (!paused) {
          paused = condition;
          if (waiting++ === 0) {
            pausedSince = Date.now();
            opts.log(
              `[syncwatch] engine: the store is ${condition === "full" ? "full" : "not reachable"}: runs pause until it takes writes again`,
            );
          }
        }
        await sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]);
      }
    }
  }

  /** A paused write is over: `taken` when the store answered it, else it was given up (the engine stopped). */
  function resumed(taken: boolean) {
    if (--waiting > 0 || pausedSince === null) return;
    if (taken)
      opts.log(
        `[syncwatch] engine: the store takes writes again after ${Math.round((Date.now() - pausedSince) / 1000)} s: runs resume`,
      );
    pausedSince = null;
  }

  return {
    create: (input, by, o) => patiently(() => inner.create(input, by, o)),
    start: (id, o) => patiently(() => inner.start(id, o)),
    reportProgress: (id, p, at) => patiently(() => inner.reportProgress(id, p, at)),
    appendItems: (id, items, at) => patiently(() => inner.appendItems(id, items, at)),
    complete: (id, r, at) => patiently(() => inner.complete(id, r, at)),
    cancel: (id, reason, at) => patiently(() => inner.cancel(id, reason, at)),
    shouldStop: (id) => patiently(() => inner.shouldStop(id)),
  };
}
