/**
 * The change signal. Every write to an activity notifies at commit (a trigger in the schema,
 * so writes by any instance count); each process listens and keeps the latest version and status
 * of the activities it has seen. With that, a poll whose ETag is current is answered from memory,
 * a long poll wakes as soon as its activity (or a child of it) changes, and list counts are
 * invalidated when a change can alter them. While the listener is down nothing is trusted: the
 * routes read the database.
 */
import { getDatabase } from "@/lib/db/client";
import { invalidateCounts } from "./count-cache";

export interface KnownActivity {
  version: number;
  status: string;
  errors: number;
}

/** The key long polls of lists wait on: any activity change. */
export const ANY_ACTIVITY = "*";
const MAX_KNOWN = 100_000;

type Waiter = () => void;

interface State {
  trusted: boolean;
  /** Moves on every change this process hears of (memoised list ETags compare it). */
  epoch: number;
  known: Map<string, KnownActivity>;
  waiters: Map<string, Set<Waiter>>;
  authListeners: Set<() => void>;
  started: Promise<void> | null;
}

const g = globalThis as unknown as { __syncwatchChanges?: State };
const state: State = (g.__syncwatchChanges ??= {
  trusted: false,
  epoch: 0,
  known: new Map(),
  waiters: new Map(),
  authListeners: new Set(),
  started: null,
});

function wake(key: string) {
  if (key === ANY_ACTIVITY) state.epoch++;
  const set = state.waiters.get(key);
  if (!set) return;
  state.waiters.delete(key);
  for (const w of set) w();
}

/** Records what is now known of an activity (versions only move forward) and wakes its watchers. */
export function noteActivity(id: string, next: KnownActivity, parentId: string | null = null): void {
  const prev = state.known.get(id);
  if (prev && prev.version >= next.version) return;
  if (!prev || prev.status !== next.status || prev.errors !== next.errors) invalidateCounts();
  if (state.known.size >= MAX_KNOWN) state.known.clear();
  state.known.set(id, next);
  wake(id);
  if (parentId) wake(parentId);
  wake(ANY_ACTIVITY);
}

function onActivityMessage(payload: string) {
  if (payload === "*") {
    // Rows were deleted (retention): forget everything rather than guess.
    state.known.clear();
    invalidateCounts();
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
  if (!healthy) {
    state.known.clear();
    invalidateCounts();
    // Revocations made while the listener was down would go unheard: drop what auth remembers.
    for (const fn of state.authListeners) fn();
  }
  state.trusted = healthy;
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

/** The latest version of an activity when this process knows it for certain; undefined otherwise. */
export function knownActivity(id: string): KnownActivity | undefined {
  return state.trusted ? state.known.get(id) : undefined;
}

/**
 * Resolves true as soon as one of `keys` changes (an activity id, or ANY_ACTIVITY), false after
 * `ms` or when `signal` aborts.
 */
export function waitForChange(keys: string[], ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (changed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const k of keys) state.waiters.get(k)?.delete(waiter);
      signal?.removeEventListener("abort", aborted);
      resolve(changed);
    };
    const waiter = () => finish(true);
    const aborted = () => finish(false);
    const timer = setTimeout(() => finish(false), ms);
    signal?.addEventListener("abort", aborted);
    for (const k of keys) {
      const set = state.waiters.get(k) ?? new Set();
      set.add(waiter);
      state.waiters.set(k, set);
    }
  });
}

/** Calls `fn` whenever any instance revokes a key or ends a session. */
export function onAuthChange(fn: () => void): void {
  state.authListeners.add(fn);
}

/** Starts listening (once per process). */
export function startChangeSignal(): Promise<void> {
  state.started ??= (async () => {
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
