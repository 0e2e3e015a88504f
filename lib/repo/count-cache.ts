/**
 * Short-lived cache of bounded list counts. A count only changes when an activity is created or
 * deleted, or changes a field the lists filter on after creation (status, error count); the
 * change signal (lib/repo/changes.ts) calls `invalidateCounts()` then, for writes made by any
 * instance. Kept on globalThis (Next may load this module twice).
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

export async function cachedCount(key: string, count: () => Promise<number>): Promise<number> {
  const now = Date.now();
  const hit = state.entries.get(key);
  if (hit && hit.generation === state.generation && now - hit.at < getConfig().countCacheMs) return hit.count;
  const generation = state.generation;
  const value = await count();
  if (state.entries.size >= MAX_ENTRIES) state.entries.clear();
  // Only remember it if nothing was invalidated while counting.
  if (generation === state.generation) state.entries.set(key, { generation, at: now, count: value });
  return value;
}
