/**
 * Short-lived cache of list counts. A capped exact count over a large table costs a few hundred
 * milliseconds, and the activity list is polled every few seconds with the same filter. A count
 * only changes when an activity is created, deleted, or changes a filtered-on field after
 * creation (status, error count): the recorder and retention call `invalidateCounts()` then, so
 * cached counts stay exact for writes made through this process; writes by another server
 * process sharing the database show up within the TTL. Kept on globalThis (Next may load this
 * module twice).
 */
const TTL_MS = Number(process.env.SYNCWATCH_COUNT_CACHE_MS ?? 10_000);
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

export async function cachedCount(key: string, count: () => Promise<number>): Promise<number> {
  const now = Date.now();
  const hit = state.entries.get(key);
  if (hit && hit.generation === state.generation && now - hit.at < TTL_MS) return hit.count;
  const generation = state.generation;
  const value = await count();
  if (state.entries.size >= MAX_ENTRIES) state.entries.clear();
  // Only remember it if nothing was invalidated while counting.
  if (generation === state.generation) state.entries.set(key, { generation, at: now, count: value });
  return value;
}

/**
 * Counts and facets of the items of an activity that has ended never change (only retention
 * deletes them, and it calls invalidateImmutableCounts). They are kept for 5 minutes.
 */
const IMMUTABLE_TTL_MS = 5 * 60_000;
const gi = globalThis as unknown as { __syncwatchImmutableCounts?: Map<string, { at: number; value: unknown }> };
const immutable = (gi.__syncwatchImmutableCounts ??= new Map());

export async function cachedImmutable<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = immutable.get(key);
  if (hit && now - hit.at < IMMUTABLE_TTL_MS) return hit.value as T;
  const value = await compute();
  if (immutable.size >= MAX_ENTRIES) immutable.clear();
  immutable.set(key, { at: now, value });
  return value;
}

export function invalidateImmutableCounts(): void {
  immutable.clear();
}
