/**
 * Short-lived cache of bounded list counts. A count only changes when an activity is created or
 * deleted, or changes a field the lists filter on after creation (status, error count); the
 * change signal (lib/live/signal.ts) calls `invalidateCounts()` then, for writes made by any
 * instance (wired at start-up in lib/server/runtime.ts: the repository does not import lib/live).
 * Kept on globalThis (Next may load this module twice).
 */
import { getConfig } from "@/lib/config";

const MAX_ENTRIES = 500;

interface Entry {
  generation: number;
  at: number;
  count: number;
}
const g = globalThis as unknown as { __syncwatchCounts?: { generation: number; entries: Map<string, Entry> } };
const state = (g.__syncwatchCounts ??= { generation: 0, entries: new Map() });

export function invalidateCounts(): void {
  state.generation++;
}

/** Counts under way, by key: a second request for the same count waits on the first. */
const running = new Map<string, Promise<number>>();

export async function cachedCount(key: string, count: () => Promise<number>): Promise<number> {
  const now = Date.now();
  const hit = state.entries.get(key);
  if (hit && hit.generation === state.generation && now - hit.at < getConfig().countCacheMs) return hit.count;
  const pending = running.get(key);
  if (pending) return pending;
  const generation = state.generation;
  const counting = count()
    .then((value) => {
      if (state.entries.size >= MAX_ENTRIES) state.entries.clear();
      // Only remember it if nothing was invalidated while counting.
      if (generation === state.generation) state.entries.set(key, { generation, at: now, count: value });
      return value;
    })
    .finally(() => running.delete(key));
  running.set(key, counting);
  return counting;
}

/**
 * The count if it is known or arrives within `budgetMs` (0: however long it takes), else null.
 * A count that overruns goes on and fills the cache for the next request.
 */
export async function countWithin(key: string, count: () => Promise<number>, budgetMs: number): Promise<number | null> {
  const counting = cachedCount(key, count);
  if (budgetMs <= 0) return counting;
  counting.catch(() => undefined); // an overrun count that fails later is not this request's error
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), budgetMs)));
  try {
    return await Promise.race([counting, overrun]);
  } finally {
    clearTimeout(timer);
  }
}
