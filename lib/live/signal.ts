/**
 * The change signal. Every write to an activity notifies at commit (a trigger in the schema, so
 * writes by any instance count) and this process's own writes report at once
 * (lib/repo/written.ts); the process keeps the latest version of the activities it has seen and
 * wakes whoever watches them. With that, an answer whose activity has not changed is served from
 * memory (lib/live/answers.ts), a long poll or a stream wakes as soon as its activity (or a child
 * of it) changes, and list counts are invalidated when a change can alter them. While the
 * listener is down nothing is trusted: answers are read from the database.
 *
 * Layer: lib/live sits between the repository (below) and services, lib/http and the routes
 * (above). It imports the database handle (to LISTEN) and the repository's write hook, never a
 * service or a route.
 */
import { getDatabase } from "@/lib/db/client";
import { onActivitiesWritten, type WrittenActivity } from "@/lib/repo/written";

export interface KnownActivity {
  version: number;
  status: string;
  errors: number;
}

/** The key list watchers wait on: any activity change. */
export const ANY_ACTIVITY = "*";
const MAX_KNOWN = 100_000;
/** Changes in a burst (a schedule's steps, a batch) wake list watchers once. */
export const ANY_COALESCE_MS = 20;

type Listener = () => void;

interface State {
  trusted: boolean;
  /** Moves on every change this process hears of, and on every change of trust. */
  epoch: number;
  /** Moves whenever trust is lost or regained: what was learnt before it may be stale. */
  trustGeneration: number;
  known: Map<string, KnownActivity>;
  listeners: Map<string, Set<Listener>>;
  anyTimer: ReturnType<typeof setTimeout> | null;
  authListeners: Set<() => void>;
  staleCountListeners: Set<() => void>;
  started: Promise<void> | null;
}

const g = globalThis as unknown as { __syncwatchSignal?: State };
const state: State = (g.__syncwatchSignal ??= {
  trusted: false,
  epoch: 0,
  trustGeneration: 0,
  known: new Map(),
  listeners: new Map(),
  anyTimer: null,
  authListeners: new Set(),
  staleCountListeners: new Set(),
  started: null,
});

function fire(key: string) {
  const set = state.listeners.get(key);
  if (!set) return;
  for (const fn of [...set]) fn();
}

function wake(key: string) {
  if (key !== ANY_ACTIVITY) return fire(key);
  state.epoch++;
  // List watchers: one wake per burst of changes.
  state.anyTimer ??= setTimeout(() => {
    state.anyTimer = null;
    fire(ANY_ACTIVITY);
  }, ANY_COALESCE_MS);
}

function countsStale() {
  for (const fn of state.staleCountListeners) fn();
}

/** Records what is now known of an activity (versions only move forward) and wakes its watchers. */
export function noteActivity(id: string, next: KnownActivity, parentId: string | null = null): void {
  const prev = state.known.get(id);
  if (prev && prev.version >= next.version) return;
  if (!prev || prev.status !== next.status || prev.errors !== next.errors) countsStale();
  if (state.known.size >= MAX_KNOWN) state.known.clear();
  state.known.set(id, next);
  wake(id);
  if (parentId) wake(parentId);
  wake(ANY_ACTIVITY);
}

function noteWritten(rows: WrittenActivity[]) {
  for (const r of rows)
    noteActivity(
      r.id,
      { version: Number(r.version), status: r.status, errors: Number(r.totalObjectErrors) },
      r.parentActivityId,
    );
}

/**
 * Learns an activity's version from a read that began at `generation` (see trustGeneration), so
 * that an activity nobody changed since this process started (a finished run) is served from
 * memory after its first read. Unknown activities are learnt silently; a newer version than the
 * one known is a change not heard of yet, and counts as one.
 */
export function learnActivity(id: string, seen: KnownActivity, generation: number): void {
  if (!state.trusted || generation !== state.trustGeneration) return;
  const prev = state.known.get(id);
  if (!prev) {
    if (state.known.size >= MAX_KNOWN) state.known.clear();
    state.known.set(id, seen);
  } else if (seen.version > prev.version) noteActivity(id, seen);
}

function onActivityMessage(payload: string) {
  if (payload === "*") {
    // Rows were deleted (retention): forget everything rather than guess.
    state.known.clear();
    countsStale();
    wake(ANY_ACTIVITY);
    return;
  }
  const [id, version, status, parent, errors] = payload.split(" ");
  if (!id || !version || !status) return;
  noteActivity(
    id,
    { version: Number(version), status, errors: Number(errors ?? 0) },
    parent && parent !== "-" ? parent : null,
  );
}

function onHealth(healthy: boolean) {
  // Whatever was learnt on either side of an outage may be stale: start over.
  state.known.clear();
  countsStale();
  if (!healthy) {
    // Revocations made while the listener was down would go unheard: drop what auth remembers.
    for (const fn of state.authListeners) fn();
  }
  state.trusted = healthy;
  state.trustGeneration++;
  state.epoch++;
}

/** Whether notifications are arriving: caches that rely on them may be used. */
export function changeSignalHealthy(): boolean {
  return state.trusted;
}

/** A counter that moves on every activity change; null while the signal is not trusted. */
export function changeEpoch(): number | null {
  return state.trusted ? state.epoch : null;
}

/** Moves when trust is lost or regained; a read records it before it starts (learnActivity). */
export function trustGeneration(): number {
  return state.trustGeneration;
}

/** The latest version of an activity when this process knows it for certain; undefined otherwise. */
export function knownActivity(id: string): KnownActivity | undefined {
  return state.trusted ? state.known.get(id) : undefined;
}

/**
 * Calls `fn` whenever one of `keys` changes (activity ids, or ANY_ACTIVITY) until the returned
 * function is called. Watching costs a set entry per key: nothing is read while nothing changes.
 */
export function watchChanges(keys: readonly string[], fn: Listener): () => void {
  for (const k of keys) {
    let set = state.listeners.get(k);
    if (!set) state.listeners.set(k, (set = new Set()));
    set.add(fn);
  }
  return () => {
    for (const k of keys) {
      const set = state.listeners.get(k);
      if (!set) continue;
      set.delete(fn);
      if (set.size === 0) state.listeners.delete(k);
    }
  };
}

/**
 * Resolves true as soon as one of `keys` changes, false after `ms` or when `signal` aborts.
 */
export function waitForChange(keys: readonly string[], ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const finish = (changed: boolean) => {
      clearTimeout(timer);
      unwatch();
      signal?.removeEventListener("abort", aborted);
      resolve(changed);
    };
    const aborted = () => finish(false);
    const timer = setTimeout(() => finish(false), ms);
    const unwatch = watchChanges(keys, () => finish(true));
    signal?.addEventListener("abort", aborted, { once: true });
  });
}

/** How many watchers wait on each kind of key (for the health figures and the bench). */
export function watcherCount(): number {
  let n = 0;
  for (const set of state.listeners.values()) n += set.size;
  return n;
}

/** Calls `fn` whenever any instance revokes a key or ends a session. */
export function onAuthChange(fn: () => void): void {
  state.authListeners.add(fn);
}

/**
 * Calls `fn` when a change may alter list counts: an activity created or deleted, a status or an
 * error count changed, or the signal lost or regained trust. The count cache (lib/repo) is wired
 * to it at start-up (lib/server/runtime.ts), so the repository does not depend on this layer.
 */
export function onCountsStale(fn: () => void): void {
  state.staleCountListeners.add(fn);
}

/** Starts listening (once per process). */
export function startChangeSignal(): Promise<void> {
  state.started ??= (async () => {
    onActivitiesWritten(noteWritten);
    const db = await getDatabase();
    await db.listen("syncwatch_activity", onActivityMessage, onHealth);
    await db.listen("syncwatch_auth", () => {
      for (const fn of state.authListeners) fn();
    });
  })().catch((error) => {
    state.started = null;
    throw error;
  });
  return state.started;
}

/** Marks a change that is not an activity's (the scheduler lease moved): list-like answers recompute. */
export function noteRuntimeChange(): void {
  wake(ANY_ACTIVITY);
}
