/**
 * One computation per change. A watchable answer (an activity, its snapshot, a list, the
 * operations view...) is identified by a key (the endpoint, its path parameters and its
 * normalised query) and is a function of the store's state. It is read and serialised once per
 * state of what it depends on; the same bytes, with an ETag that is a hash of those bytes, go to
 * every request and every watcher until one of its activities changes (or, for a list, any
 * activity does). Watchers of one key share a Topic: one registration on the change signal and
 * one computation per change, however many long polls and streams wait on it.
 *
 * Time-based figures in a cached answer are computed as of the activity's last change (see
 * lib/services/mappers.ts asOfMs), so the same state always gives the same bytes: same body ⇔
 * same ETag, whichever instance, cache entry or parameter order answers.
 */
import { createHash } from "node:crypto";
import {
  ANY_ACTIVITY,
  changeEpoch,
  changeSignalHealthy,
  knownActivity,
  learnActivity,
  trustGeneration,
  watchChanges,
} from "./signal";

/** What an answer was read from: it stays current while these have not changed. */
export interface Depends {
  /** The activities read, at the versions read. */
  activities?: readonly { id: string; version: number; status: string; totalObjectErrors: number }[];
  /** It depends on activities not listed too (a list, queue positions): current until the next change anywhere. */
  anyChange?: boolean;
  /** Current at most this long whatever happens (an answer with a count still being made). */
  maxAgeMs?: number;
}

/** What a watchable read returns: the body and what it depends on. */
export interface Versioned {
  body: unknown;
  depends: Depends;
  /** Default "private, no-cache". */
  cacheControl?: string;
}

export interface Answer {
  key: string;
  etag: string;
  /** The JSON body, serialised once. */
  bytes: Uint8Array<ArrayBuffer>;
  cacheControl: string;
}

interface Entry extends Answer {
  versions: [string, number][];
  epoch: number | null;
  at: number;
  maxAgeMs: number | null;
  size: number;
}

const MAX_ENTRIES = 5_000;
const MAX_BYTES = 64 * 2 ** 20;

interface Cache {
  entries: Map<string, Entry>;
  bytes: number;
  topics: Map<string, Topic>;
  pending: Map<string, { stamp: string; promise: Promise<Entry> }>;
  computations: number;
}
const g = globalThis as unknown as { __syncwatchAnswers?: Cache };
const cache: Cache = (g.__syncwatchAnswers ??= {
  entries: new Map(),
  bytes: 0,
  topics: new Map(),
  pending: new Map(),
  computations: 0,
});

const bare = (tag: string) => tag.trim().replace(/^W\//, "");
/** Whether two entity tags name the same answer (weak comparison). */
export const sameTag = (a: string, b: string) => bare(a) === bare(b);

/** A weak ETag from the bytes of a body. */
export function etagOf(bytes: Uint8Array): string {
  return `W/"${createHash("sha1").update(bytes).digest("base64url")}"`;
}

/**
 * The key of a query: parameters sorted, list values sorted (they are sets), `wait` left out, so
 * `?a=1&b=2`, `?b=2&a=1` and `?b=2&a=1&wait=20` name one answer.
 */
export function normaliseQuery(query: unknown): string {
  if (!query || typeof query !== "object") return "";
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(query as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (k === "wait" || v === undefined) continue;
    out.push([k, Array.isArray(v) ? [...v].sort() : v]);
  }
  return JSON.stringify(out);
}

function valid(e: Entry, now = Date.now()): boolean {
  if (!changeSignalHealthy()) return false;
  if (e.epoch !== null && e.epoch !== changeEpoch()) return false;
  if (e.maxAgeMs !== null && now - e.at >= e.maxAgeMs) return false;
  for (const [id, v] of e.versions) if (knownActivity(id)?.version !== v) return false;
  return true;
}

function evict() {
  for (const [key, e] of cache.entries) {
    if (cache.entries.size <= MAX_ENTRIES && cache.bytes <= MAX_BYTES) return;
    cache.entries.delete(key);
    cache.bytes -= e.size;
  }
}

function store(e: Entry) {
  const prev = cache.entries.get(e.key);
  if (prev) {
    cache.entries.delete(e.key);
    cache.bytes -= prev.size;
  }
  cache.entries.set(e.key, e);
  cache.bytes += e.size;
  evict();
}

function entryOf(key: string, v: Versioned, epoch: number | null, generation: number): Entry {
  const bytes = new TextEncoder().encode(JSON.stringify(v.body)) as Uint8Array<ArrayBuffer>;
  const versions: [string, number][] = [];
  for (const a of v.depends.activities ?? []) {
    learnActivity(a.id, { version: a.version, status: a.status, errors: a.totalObjectErrors }, generation);
    versions.push([a.id, a.version]);
  }
  const entry: Entry = {
    key,
    etag: etagOf(bytes),
    bytes,
    cacheControl: v.cacheControl ?? "private, no-cache",
    versions,
    epoch: v.depends.anyChange ? epoch : null,
    at: Date.now(),
    maxAgeMs: v.depends.maxAgeMs ?? null,
    size: bytes.length + key.length + 200,
  };
  return entry;
}

/** What has to stay the same for a computation under way to serve a request that arrives now. */
function stampOf(watch: readonly string[]): string {
  let s = "";
  for (const k of watch) s += (k === ANY_ACTIVITY ? `e${changeEpoch()}` : `v${knownActivity(k)?.version ?? "?"}`) + ",";
  return s;
}

/**
 * The current answer of `key`: from memory while nothing it depends on changed, else read once
 * (requests arriving while it is read wait for that read instead of starting their own).
 */
export async function answerOf(key: string, watch: readonly string[], read: () => Promise<Versioned>): Promise<Answer> {
  const hit = cache.entries.get(key);
  if (hit && valid(hit)) return hit;
  const trusted = changeSignalHealthy();
  const stamp = stampOf(watch);
  const running = trusted ? cache.pending.get(key) : undefined;
  if (running && running.stamp === stamp) return running.promise;
  const epoch = changeEpoch();
  const generation = trustGeneration();
  const promise = read().then((v) => {
    cache.computations++;
    const e = entryOf(key, v, epoch, generation);
    if (trusted && (e.versions.length || e.epoch !== null)) store(e);
    return e;
  });
  if (trusted) {
    cache.pending.set(key, { stamp, promise });
    void promise
      .catch(() => undefined)
      .finally(() => {
        if (cache.pending.get(key)?.promise === promise) cache.pending.delete(key);
      });
  }
  return promise;
}

/** Whether the current answer of `key` is in memory (a GET of it needs no read). */
export function hasCurrentAnswer(key: string): boolean {
  const e = cache.entries.get(key);
  return e !== undefined && valid(e);
}

/** Whether an answer is still current (nothing it was read from changed). */
export function isCurrent(a: Answer): boolean {
  const e = a as Entry;
  return cache.entries.get(e.key) === e && valid(e);
}

/** Counters for the bench and health: answers computed, cached, topics and their watchers. */
export function answerStats() {
  let watchers = 0;
  for (const t of cache.topics.values()) watchers += t.size;
  return {
    computations: cache.computations,
    cached: cache.entries.size,
    cachedBytes: cache.bytes,
    topics: cache.topics.size,
    watchers,
  };
}

export type Delivery = { answer: Answer } | { error: unknown };
type Subscriber = (d: Delivery) => void;

const RETRY_MS = [250, 1000, 3000];

/**
 * Everyone watching one key: one registration on the change signal, one read per change, and the
 * new answer handed to each subscriber (who compares its ETag with the one it has).
 */
class Topic {
  private readonly subscribers = new Set<Subscriber>();
  private unwatch: (() => void) | null = null;
  private refreshing = false;
  private dirty = false;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private expiry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly key: string,
    private readonly watch: readonly string[],
    private readonly read: () => Promise<Versioned>,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  add(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    this.unwatch ??= watchChanges(this.watch, () => this.changed());
    const current = cache.entries.get(this.key);
    if (current) this.expireLater(current);
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0) this.close();
    };
  }

  private close() {
    this.unwatch?.();
    this.unwatch = null;
    if (this.retry) clearTimeout(this.retry);
    if (this.expiry) clearTimeout(this.expiry);
    this.retry = this.expiry = null;
    if (cache.topics.get(this.key) === this) cache.topics.delete(this.key);
  }

  /** An answer current for a while only (a total still being counted) is read again when that ends. */
  private expireLater(a: Answer) {
    const { maxAgeMs, at } = a as Entry;
    if (maxAgeMs === null || this.expiry) return;
    this.expiry = setTimeout(
      () => {
        this.expiry = null;
        if (this.subscribers.size) this.changed();
      },
      Math.max(0, at + maxAgeMs - Date.now()),
    );
  }

  private changed() {
    if (this.refreshing) {
      this.dirty = true;
      return;
    }
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      do {
        this.dirty = false;
        let delivery: Delivery;
        try {
          delivery = { answer: await answerOf(this.key, this.watch, this.read) };
          this.failures = 0;
        } catch (error) {
          // Busy (503) is transient: try again shortly rather than hand watchers an error.
          if ((error as { code?: string }).code === "SERVICE_UNAVAILABLE" && this.subscribers.size) {
            const ms = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)];
            this.retry ??= setTimeout(() => {
              this.retry = null;
              this.changed();
            }, ms);
            return;
          }
          delivery = { error };
        }
        for (const fn of [...this.subscribers]) fn(delivery);
        if ("answer" in delivery) this.expireLater(delivery.answer);
      } while (this.dirty && this.subscribers.size);
    } finally {
      this.refreshing = false;
    }
  }
}

/**
 * Subscribes to the answers of `key`: `fn` is called with each new answer (or the error reading it
 * failed with) after a change. Returns the function that ends the subscription.
 */
export function subscribe(
  key: string,
  watch: readonly string[],
  read: () => Promise<Versioned>,
  fn: Subscriber,
): () => void {
  let topic = cache.topics.get(key);
  if (!topic) cache.topics.set(key, (topic = new Topic(key, watch, read)));
  return topic.add(fn);
}

/**
 * A long poll: the current answer if its ETag differs from `etag`, else the next answer that does,
 * or null after `ms` (or when `signal` aborts). Waiting holds no store connection and no
 * admission slot: only a subscriber entry and a timer.
 */
export async function nextAnswer(
  key: string,
  watch: readonly string[],
  read: () => Promise<Versioned>,
  etag: string,
  ms: number,
  signal?: AbortSignal,
): Promise<Answer | null> {
  const now = await answerOf(key, watch, read);
  if (!sameTag(now.etag, etag)) return now;
  if (ms <= 0 || signal?.aborted) return null;
  return new Promise<Answer | null>((resolve, reject) => {
    let unsubscribe = () => {};
    const finish = (a: Answer | null, error?: unknown) => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener("abort", aborted);
      if (error !== undefined) reject(error);
      else resolve(a);
    };
    const aborted = () => finish(null);
    const timer = setTimeout(() => finish(null), ms);
    signal?.addEventListener("abort", aborted, { once: true });
    unsubscribe = subscribe(key, watch, read, (d) => {
      if ("error" in d) finish(null, d.error);
      else if (!sameTag(d.answer.etag, etag)) finish(d.answer);
    });
    // A change between the read above and this subscription would go unheard: look again.
    if (!isCurrent(now) && changeSignalHealthy())
      void answerOf(key, watch, read).then(
        (a) => !sameTag(a.etag, etag) && finish(a),
        () => undefined,
      );
  });
}
