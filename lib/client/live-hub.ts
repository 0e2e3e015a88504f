/**
 * The tab's one connection for everything its pages watch (used through useLiveQuery in ./live.ts).
 *
 * - Subscriptions are API paths (a GET with its query) and the ETag the page has; two pages (or
 *   two tabs) watching one path share one subscription.
 * - Transport: one Server-Sent-Events stream, GET /api/v1/live?s=<id>:<etag>:<path>…, reopened
 *   (debounced) when the set of paths changes; the browser reconnects it with Last-Event-ID when
 *   it drops. If the stream never says `ready` (a proxy that buffers), the hub switches to the
 *   long-poll twin, GET /api/v1/live/poll, asked again as soon as it answers (no interval).
 * - Across tabs: where the browser has Web Locks and BroadcastChannel, the tab holding the lock
 *   "syncwatch-live" is the leader: it alone holds the connection, for the union of every tab's
 *   subscriptions, and relays each event to the others. When it closes, the next tab takes the
 *   lock. A follower that hears nothing from a leader for LEADER_SILENCE_MS (a frozen tab) opens its
 *   own connection until a leader speaks again.
 *
 * Browser APIs are passed in (LiveEnv), so the logic runs under unit tests with fakes.
 */
import { nextRetry } from "./retry";
import { ApiError } from "./http";

/** What a subscriber hears: a new answer, or why the answer cannot be given. */
export type HubEvent =
  | { type: "answer"; etag: string; body: unknown }
  | { type: "error"; status: number; error: { code: string; message: string } };

export type HubState = "idle" | "connecting" | "live" | "retrying";
export interface HubStatus {
  state: HubState;
  transport: "stream" | "poll" | "leader-tab" | null;
  /** When the connection last said anything (an event, a keep-alive, a poll answer). */
  heardAt: number | null;
}

export interface LiveEnv {
  EventSource?: new (url: string) => EventSourceLike;
  fetch: (url: string, init?: { signal?: AbortSignal }) => Promise<{ status: number; json(): Promise<unknown> }>;
  BroadcastChannel?: new (name: string) => ChannelLike;
  locks?: { request(name: string, cb: () => Promise<void>): Promise<void> };
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (t: unknown) => void;
  now: () => number;
}

export interface EventSourceLike {
  readyState: number;
  onerror: ((e: unknown) => void) | null;
  addEventListener(type: string, fn: (e: { data: string }) => void): void;
  close(): void;
}
export interface ChannelLike {
  onmessage: ((e: { data: unknown }) => void) | null;
  postMessage(msg: unknown): void;
  close(): void;
}

const API = "/api/v1";
/** Changes of the subscription set within this window reopen the stream once. */
export const RECONNECT_DEBOUNCE_MS = 30;
/** A stream that has not said `ready` by then is held back by a proxy: use the long poll. */
export const READY_TIMEOUT_MS = 8_000;
/** After this long on the long poll, the stream is tried again (the proxy may have changed). */
export const STREAM_RETRY_MS = 10 * 60_000;
/** A follower that heard nothing from a leader for this long connects on its own. */
export const LEADER_SILENCE_MS = 40_000;
/** The leader's "I am here" (the stream's keep-alives are every 15 s). */
export const LEADER_HEARTBEAT_MS = 15_000;
const POLL_WAIT_S = 50;

/** A short stable id for a path (FNV-1a, base 36). */
export function subscriptionId(path: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return "p" + h.toString(36);
}

/** The value of an ETag between its quotes: what a subscription carries. */
export const etagValue = (etag: string | null | undefined) => (etag ?? "").replace(/^W\//, "").replace(/^"|"$/g, "");

interface Sub {
  path: string;
  etag: string;
}

/** An event as the server writes it (stream data, or an item of a poll's `events`). */
type WireEvent =
  { s: string; etag: string; body: unknown } | { s: string; status: number; error: { code: string; message: string } };

type Listener = (e: HubEvent) => void;

/**
 * One connection (stream, or long poll when the stream is held back) for a set of subscriptions.
 * `set()` replaces the set; events come back through `onEvent`.
 */
class Connection {
  private subs = new Map<string, Sub>();
  private es: EventSourceLike | null = null;
  private pollAbort: AbortController | null = null;
  private timer: unknown = null;
  private readyTimer: unknown = null;
  private failures = 0;
  private streamFailures = 0;
  private pollSince = 0;
  private closed = false;
  /** The subscriptions the open stream or poll carries. */
  private openKeys: string | null = null;
  mode: "stream" | "poll";

  constructor(
    private readonly env: LiveEnv,
    private readonly onEvent: (id: string, e: HubEvent) => void,
    private readonly onStatus: (s: Partial<HubStatus>) => void,
    preferPoll: boolean,
  ) {
    this.mode = preferPoll || !env.EventSource ? "poll" : "stream";
  }

  set(subs: Map<string, Sub>) {
    // Keep the ETags already delivered on this connection; take the others' from the caller.
    this.subs = new Map([...subs].map(([id, s]) => [id, { path: s.path, etag: this.subs.get(id)?.etag || s.etag }]));
    this.schedule(RECONNECT_DEBOUNCE_MS);
  }

  private keys(): string {
    return [...this.subs.keys()].sort().join();
  }

  close() {
    this.closed = true;
    this.stop();
    if (this.timer) this.env.clearTimeout(this.timer);
  }

  private schedule(ms: number) {
    if (this.closed) return;
    if (this.timer) this.env.clearTimeout(this.timer);
    this.timer = this.env.setTimeout(() => {
      this.timer = null;
      this.open();
    }, ms);
  }

  private query(): string {
    return [...this.subs].map(([id, s]) => `s=${encodeURIComponent(`${id}:${s.etag}:${s.path}`)}`).join("&");
  }

  private stop() {
    this.es?.close();
    this.es = null;
    this.pollAbort?.abort();
    this.pollAbort = null;
    if (this.readyTimer) this.env.clearTimeout(this.readyTimer);
    this.readyTimer = null;
  }

  private open() {
    // The same set on a connection that is up: nothing to do (a page re-subscribed in passing).
    if (this.keys() === this.openKeys && (this.es || this.pollAbort)) return;
    this.stop();
    if (this.closed || this.subs.size === 0) {
      this.openKeys = null;
      this.onStatus({ state: "idle" });
      return;
    }
    this.openKeys = this.keys();
    if (this.mode === "poll" && this.env.EventSource && this.env.now() - this.pollSince > STREAM_RETRY_MS)
      this.mode = "stream";
    this.onStatus({ state: this.failures ? "retrying" : "connecting", transport: this.mode });
    if (this.mode === "stream") this.openStream();
    else void this.poll();
  }

  private toPoll() {
    this.mode = "poll";
    this.pollSince = this.env.now();
    this.onStatus({ transport: "poll" });
  }

  private heard() {
    this.failures = 0;
    this.onStatus({ state: "live", heardAt: this.env.now() });
  }

  private deliver(d: WireEvent) {
    const s = this.subs.get(d.s);
    if ("etag" in d) {
      if (s) s.etag = etagValue(d.etag);
      this.onEvent(d.s, { type: "answer", etag: d.etag, body: d.body });
    } else {
      if (s) s.etag = "";
      this.onEvent(d.s, { type: "error", status: d.status, error: d.error });
    }
  }

  private openStream() {
    const es = new this.env.EventSource!(`${API}/live?${this.query()}`);
    this.es = es;
    let ready = false;
    this.readyTimer = this.env.setTimeout(() => {
      if (ready || this.es !== es) return;
      // Nothing came through: a proxy holds the stream back. Long poll for a while.
      this.stop();
      this.openKeys = null;
      this.toPoll();
      this.open();
    }, READY_TIMEOUT_MS);
    es.addEventListener("ready", () => {
      ready = true;
      this.streamFailures = 0;
      this.heard();
    });
    for (const type of ["answer", "failed"])
      es.addEventListener(type, (e) => {
        this.heard();
        this.deliver(JSON.parse(e.data) as WireEvent);
      });
    es.onerror = () => {
      if (this.es !== es) return;
      // CLOSED (2): the server refused the stream (401, 400, 5xx): learn why with one poll, then retry.
      if (es.readyState === 2) {
        this.es = null;
        this.openKeys = null;
        if (++this.streamFailures >= 3) this.toPoll();
        void this.poll(true);
      } else this.onStatus({ state: "retrying" });
    };
  }

  private async poll(once = false): Promise<void> {
    const ctrl = new AbortController();
    this.pollAbort = ctrl;
    try {
      const res = await this.env.fetch(`${API}/live/poll?${this.query()}&wait=${once ? 0 : POLL_WAIT_S}`, {
        signal: ctrl.signal,
      });
      const body = (await res.json()) as { events?: WireEvent[]; code?: string; message?: string };
      if (res.status !== 200)
        throw new ApiError(res.status, (body.code ?? `HTTP_${res.status}`) as never, body.message ?? "");
      this.heard();
      for (const e of body.events ?? []) this.deliver(e);
      if (this.pollAbort !== ctrl) return;
      this.pollAbort = null;
      this.openKeys = null;
      // A poll asks again at once; a stream that failed is tried again after a pause.
      this.schedule(once ? 1000 * this.streamFailures : 0);
    } catch (error) {
      if (ctrl.signal.aborted) return;
      this.pollAbort = null;
      this.openKeys = null;
      if (ApiError.is(error, "UNAUTHORISED", "FORBIDDEN")) {
        for (const id of this.subs.keys())
          this.onEvent(id, {
            type: "error",
            status: error.status,
            error: { code: error.code, message: error.message },
          });
      }
      this.onStatus({ state: "retrying" });
      this.schedule(nextRetry(error, this.failures++) ?? 30_000);
    }
  }
}

type Wire =
  | { t: "subs"; tab: string; subs: [string, Sub][] }
  | { t: "bye"; tab: string }
  | { t: "hello"; tab: string }
  | { t: "alive"; tab: string }
  | { t: "event"; id: string; e: HubEvent };

/** The tab's hub: subscriptions by path, one connection (its own, or the leader tab's). */
export class LiveHub {
  private readonly tab = Math.random().toString(36).slice(2);
  private readonly subs = new Map<string, Sub & { listeners: Set<Listener> }>();
  private readonly latest = new Map<string, Extract<HubEvent, { type: "answer" }>>();
  private readonly others = new Map<string, Map<string, Sub>>();
  private connection: Connection | null = null;
  private channel: ChannelLike | null = null;
  private role: "direct" | "leader" | "follower" = "direct";
  private leaderHeardAt = 0;
  private watchdog: unknown = null;
  private readonly statusListeners = new Set<() => void>();
  private preferPoll = false;
  status: HubStatus = { state: "idle", transport: null, heardAt: null };

  constructor(private readonly env: LiveEnv) {
    if (env.BroadcastChannel && env.locks) {
      this.role = "follower";
      this.channel = new env.BroadcastChannel("syncwatch-live");
      this.channel.onmessage = (m) => this.onWire(m.data as Wire);
      this.leaderHeardAt = env.now();
      void env.locks.request("syncwatch-live-leader", () => this.lead());
      this.post({ t: "subs", tab: this.tab, subs: this.own() });
      this.watch();
    }
  }

  /** Watches `path` (an API path with its query); `etag` is what the caller already has. */
  subscribe(path: string, etag: string | null, fn: Listener): () => void {
    const id = subscriptionId(path);
    let sub = this.subs.get(id);
    if (!sub) this.subs.set(id, (sub = { path, etag: etagValue(etag), listeners: new Set() }));
    else if (etag && !sub.etag) sub.etag = etagValue(etag);
    sub.listeners.add(fn);
    // Another page (or tab) already had a newer answer: hand it over now.
    const known = this.latest.get(id);
    if (known && etagValue(known.etag) !== etagValue(etag)) fn(known);
    this.changed();
    return () => {
      sub.listeners.delete(fn);
      if (sub.listeners.size === 0) {
        this.subs.delete(id);
        this.latest.delete(id);
        this.changed();
      }
    };
  }

  onStatus(fn: () => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** Leaves the other tabs (page hide): a leader's lock is released by the browser when the tab goes. */
  close() {
    this.post({ t: "bye", tab: this.tab });
    this.connection?.close();
    this.channel?.close();
    if (this.watchdog) this.env.clearTimeout(this.watchdog);
  }

  private own(): [string, Sub][] {
    return [...this.subs].map(([id, s]) => [id, { path: s.path, etag: s.etag }]);
  }

  private setStatus(patch: Partial<HubStatus>) {
    this.status = { ...this.status, ...patch };
    for (const fn of this.statusListeners) fn();
  }

  private post(msg: Wire) {
    this.channel?.postMessage(msg);
  }

  /** Called with the lock: this tab leads until it closes (the promise never settles). */
  private lead(): Promise<void> {
    this.role = "leader";
    this.post({ t: "hello", tab: this.tab });
    this.changed();
    const beat = () => {
      this.post({ t: "alive", tab: this.tab });
      this.env.setTimeout(beat, LEADER_HEARTBEAT_MS);
    };
    beat();
    return new Promise<void>(() => undefined);
  }

  /** A follower that hears no leader connects on its own until one speaks. */
  private watch() {
    this.watchdog = this.env.setTimeout(() => {
      if (this.role === "follower" && this.subs.size && this.env.now() - this.leaderHeardAt > LEADER_SILENCE_MS) {
        this.role = "direct";
        this.changed();
      }
      this.watch();
    }, LEADER_SILENCE_MS / 4);
  }

  private union(): Map<string, Sub> {
    const all = new Map<string, Sub>(this.own());
    for (const subs of this.others.values()) for (const [id, s] of subs) if (!all.has(id)) all.set(id, s);
    return all;
  }

  private changed() {
    if (this.role === "follower") {
      this.post({ t: "subs", tab: this.tab, subs: this.own() });
      this.setStatus({ state: this.subs.size ? "live" : "idle", transport: "leader-tab" });
      return;
    }
    const subs = this.role === "leader" ? this.union() : new Map(this.own());
    this.connection ??= new Connection(
      this.env,
      (id, e) => this.emit(id, e, true),
      (s) => {
        if (s.transport === "poll") this.preferPoll = true;
        this.setStatus(s);
      },
      this.preferPoll,
    );
    this.connection.set(subs);
  }

  private emit(id: string, e: HubEvent, relay: boolean) {
    if (e.type === "answer") this.latest.set(id, e);
    else this.latest.delete(id);
    const sub = this.subs.get(id);
    if (sub) {
      if (e.type === "answer") sub.etag = etagValue(e.etag);
      for (const fn of [...sub.listeners]) fn(e);
    }
    if (relay && this.role === "leader") this.post({ t: "event", id, e });
  }

  private onWire(m: Wire) {
    switch (m.t) {
      case "event":
        this.leaderHeardAt = this.env.now();
        if (this.role === "follower") {
          this.emit(m.id, m.e, false);
          this.setStatus({ heardAt: this.env.now() });
        }
        return;
      case "alive":
      case "hello":
        this.leaderHeardAt = this.env.now();
        if (this.role === "leader") return;
        if (this.role === "direct") {
          // A leader speaks again: hand the connection over.
          this.connection?.close();
          this.connection = null;
          this.role = "follower";
          this.changed();
        } else if (m.t === "hello") this.changed();
        return;
      case "subs":
        if (this.role !== "leader") return;
        this.others.set(m.tab, new Map(m.subs));
        // Answers the leader already has that the new subscriber lacks go to it at once.
        for (const [id, s] of m.subs) {
          const known = this.latest.get(id);
          if (known && etagValue(known.etag) !== s.etag) this.post({ t: "event", id, e: known });
        }
        this.changed();
        return;
      case "bye":
        if (this.role !== "leader") return;
        this.others.delete(m.tab);
        this.changed();
        return;
    }
  }
}

/** The browser's own APIs, when present. */
export function browserEnv(): LiveEnv {
  const nav = typeof navigator !== "undefined" ? (navigator as Navigator & { locks?: LiveEnv["locks"] }) : undefined;
  return {
    EventSource: typeof EventSource !== "undefined" ? (EventSource as unknown as LiveEnv["EventSource"]) : undefined,
    fetch: (url, init) => fetch(url, { credentials: "same-origin", cache: "no-store", ...init }),
    BroadcastChannel:
      typeof BroadcastChannel !== "undefined"
        ? (BroadcastChannel as unknown as LiveEnv["BroadcastChannel"])
        : undefined,
    locks: nav?.locks,
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (t) => window.clearTimeout(t as number),
    now: () => Date.now(),
  };
}
