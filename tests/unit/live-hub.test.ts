/**
 * The live hub (lib/client/live-hub.ts), the engine under useLiveQuery: one connection for every
 * subscription of a tab, shared by the tabs of a browser, with the long-poll fallback. Browser
 * APIs are fakes; time is vitest's.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  LEADER_SILENCE_MS,
  LiveHub,
  READY_TIMEOUT_MS,
  RECONNECT_DEBOUNCE_MS,
  subscriptionId,
  type ChannelLike,
  type EventSourceLike,
  type HubEvent,
  type LiveEnv,
} from "@/lib/client/live-hub";

class FakeEventSource implements EventSourceLike {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onerror: ((e: unknown) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    this.readyState = 1;
    for (const fn of this.listeners.get(type) ?? []) fn({ data: JSON.stringify(data) });
  }
  /** The subscriptions in the URL: id → [etag, path]. */
  subs(): Map<string, [string, string]> {
    const out = new Map<string, [string, string]>();
    for (const s of new URL(this.url, "http://x").searchParams.getAll("s")) {
      const [id, etag, ...path] = s.split(":");
      out.set(id, [etag, path.join(":")]);
    }
    return out;
  }
}
const open = () => FakeEventSource.all.filter((e) => !e.closed);

/** Channels of one browser: what one posts, the others hear (not itself), as BroadcastChannel does. */
class FakeChannel implements ChannelLike {
  static all: FakeChannel[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  constructor(readonly name: string) {
    FakeChannel.all.push(this);
  }
  postMessage(msg: unknown) {
    const copy = structuredClone(msg);
    for (const c of FakeChannel.all) if (c !== this) queueMicrotask(() => c.onmessage?.({ data: copy }));
  }
  close() {
    FakeChannel.all = FakeChannel.all.filter((c) => c !== this);
  }
}

/** Web Locks: the first to ask holds the lock; the next gets it when the holder's tab goes. */
class FakeLocks {
  private queue: (() => void)[] = [];
  private held = false;
  request(_name: string, cb: () => Promise<void>): Promise<void> {
    const grant = () => {
      this.held = true;
      void cb();
    };
    if (!this.held) grant();
    else this.queue.push(grant);
    return Promise.resolve();
  }
  release() {
    this.held = false;
    this.queue.shift()?.();
  }
}

function env(overrides: Partial<LiveEnv> = {}): LiveEnv {
  return {
    EventSource: FakeEventSource,
    fetch: vi.fn(async () => ({ status: 200, json: async () => ({ events: [] }) })),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    ...overrides,
  };
}

const settle = async (ms = RECONNECT_DEBOUNCE_MS + 1) => {
  await vi.advanceTimersByTimeAsync(ms);
};

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.all = [];
  FakeChannel.all = [];
});
afterEach(() => vi.useRealTimers());

describe("one tab", () => {
  it("opens one stream for every path, and one subscription for a path two pages watch", async () => {
    const hub = new LiveHub(env());
    hub.subscribe("/operations", 'W/"a1"', () => undefined);
    hub.subscribe("/operations", 'W/"a1"', () => undefined);
    hub.subscribe("/activities/x/snapshot", null, () => undefined);
    await settle();
    expect(open()).toHaveLength(1);
    const subs = open()[0].subs();
    expect(subs.size).toBe(2);
    expect(subs.get(subscriptionId("/operations"))).toEqual(["a1", "/operations"]);
    expect(subs.get(subscriptionId("/activities/x/snapshot"))).toEqual(["", "/activities/x/snapshot"]);
  });

  it("hands each answer to every listener, and reconnects with the ETags delivered so far", async () => {
    const hub = new LiveHub(env());
    const heard: HubEvent[][] = [[], []];
    hub.subscribe("/operations", null, (e) => heard[0].push(e));
    hub.subscribe("/operations", null, (e) => heard[1].push(e));
    await settle();
    const es = open()[0];
    es.emit("ready", { subscriptions: 1 });
    es.emit("answer", { s: subscriptionId("/operations"), etag: 'W/"v2"', body: { running: [] } });
    expect(heard[0]).toEqual([{ type: "answer", etag: 'W/"v2"', body: { running: [] } }]);
    expect(heard[1]).toHaveLength(1);
    expect(hub.status.state).toBe("live");
    hub.subscribe("/activities", null, () => undefined);
    await settle();
    expect(es.closed).toBe(true);
    expect(open()[0].subs().get(subscriptionId("/operations"))?.[0]).toBe("v2");
  });

  it("a page that joins a watched path gets the newest answer at once", async () => {
    const hub = new LiveHub(env());
    hub.subscribe("/operations", null, () => undefined);
    await settle();
    open()[0].emit("answer", { s: subscriptionId("/operations"), etag: 'W/"v3"', body: { n: 3 } });
    const late: HubEvent[] = [];
    hub.subscribe("/operations", 'W/"v1"', (e) => late.push(e));
    expect(late).toEqual([{ type: "answer", etag: 'W/"v3"', body: { n: 3 } }]);
  });

  it("passes a subscription's failure on, and closes when nothing is watched", async () => {
    const hub = new LiveHub(env());
    const heard: HubEvent[] = [];
    const off = hub.subscribe("/activities/gone/snapshot", null, (e) => heard.push(e));
    await settle();
    const error = { code: "NOT_FOUND", message: "Activity gone does not exist." };
    open()[0].emit("failed", { s: subscriptionId("/activities/gone/snapshot"), status: 404, error });
    expect(heard).toEqual([{ type: "error", status: 404, error }]);
    off();
    await settle();
    expect(open()).toHaveLength(0);
    expect(hub.status.state).toBe("idle");
  });

  it("re-subscribing in passing (a refetch) does not reopen the stream", async () => {
    const hub = new LiveHub(env());
    const off = hub.subscribe("/operations", null, () => undefined);
    await settle();
    const es = open()[0];
    off();
    hub.subscribe("/operations", null, () => undefined);
    await settle();
    expect(es.closed).toBe(false);
    expect(FakeEventSource.all).toHaveLength(1);
  });

  it("a stream that never says ready (a proxy that buffers) falls back to the long poll, asked again at once", async () => {
    let calls = 0;
    const fetch = vi.fn(async (url: string) => {
      calls++;
      expect(url).toContain("/api/v1/live/poll?");
      return { status: 200, json: async () => ({ events: calls === 1 ? [] : [] }) };
    });
    const hub = new LiveHub(env({ fetch }));
    hub.subscribe("/operations", null, () => undefined);
    await settle();
    expect(open()).toHaveLength(1);
    await settle(READY_TIMEOUT_MS);
    expect(open()).toHaveLength(0);
    await settle(5);
    expect(calls).toBeGreaterThanOrEqual(2); // answered polls are asked again without a pause
    expect(hub.status.transport).toBe("poll");
  });

  it("the long poll delivers events and sends the new ETags on the next request", async () => {
    const urls: string[] = [];
    const id = subscriptionId("/operations");
    const fetch = vi.fn(async (url: string) => {
      urls.push(url);
      const events = urls.length === 1 ? [{ s: id, etag: 'W/"p2"', body: { ok: 1 } }] : [];
      return { status: 200, json: async () => ({ events }) };
    });
    const heard: HubEvent[] = [];
    const hub = new LiveHub(env({ fetch, EventSource: undefined }));
    hub.subscribe("/operations", 'W/"p1"', (e) => heard.push(e));
    await settle(RECONNECT_DEBOUNCE_MS + 10);
    expect(heard).toEqual([{ type: "answer", etag: 'W/"p2"', body: { ok: 1 } }]);
    expect(decodeURIComponent(urls[0])).toContain(`${id}:p1:/operations`);
    expect(decodeURIComponent(urls[1])).toContain(`${id}:p2:/operations`);
  });
});

describe("tabs of one browser", () => {
  const browser = () => {
    const locks = new FakeLocks();
    return { locks, env: () => env({ BroadcastChannel: FakeChannel, locks }) };
  };

  it("share one stream: the leader carries the other tab's subscriptions and relays their answers", async () => {
    const b = browser();
    const leader = new LiveHub(b.env());
    const follower = new LiveHub(b.env());
    leader.subscribe("/operations", null, () => undefined);
    const heard: HubEvent[] = [];
    follower.subscribe("/activities/x/snapshot", null, (e) => heard.push(e));
    await settle();
    expect(open()).toHaveLength(1);
    const es = open()[0];
    expect([...es.subs().values()].map(([, p]) => p).sort()).toEqual(["/activities/x/snapshot", "/operations"]);
    es.emit("answer", { s: subscriptionId("/activities/x/snapshot"), etag: 'W/"s1"', body: { a: 1 } });
    await settle(1);
    expect(heard).toEqual([{ type: "answer", etag: 'W/"s1"', body: { a: 1 } }]);
    expect(follower.status.transport).toBe("leader-tab");
  });

  it("when the leader's tab goes, the next tab takes over the connection", async () => {
    const b = browser();
    const first = new LiveHub(b.env());
    const second = new LiveHub(b.env());
    first.subscribe("/operations", null, () => undefined);
    second.subscribe("/activities", null, () => undefined);
    await settle();
    expect(open()).toHaveLength(1);
    first.close();
    b.locks.release();
    await settle();
    const now = open();
    expect(now).toHaveLength(1);
    expect([...now[0].subs().values()].map(([, p]) => p)).toEqual(["/activities"]);
  });

  it("a follower that hears no leader (a frozen tab) connects on its own", async () => {
    const b = browser();
    const frozen = new LiveHub(b.env());
    frozen.subscribe("/operations", null, () => undefined);
    await settle();
    open()[0].emit("ready", { subscriptions: 1 });
    // The leader's tab is frozen: its channel says nothing any more.
    FakeChannel.all[0].postMessage = () => undefined;
    const follower = new LiveHub(b.env());
    follower.subscribe("/activities", null, () => undefined);
    await settle();
    expect(open()).toHaveLength(1);
    await settle(LEADER_SILENCE_MS + LEADER_SILENCE_MS / 4 + 10);
    // Its own stream, for its own subscription only.
    const own = open().filter((e) => [...e.subs().values()].map(([, p]) => p).join() === "/activities");
    expect(own).toHaveLength(1);
  });
});
