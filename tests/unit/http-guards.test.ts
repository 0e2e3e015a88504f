/**
 * The HTTP guards: admission to the embedded store (lib/http/admission.ts), cross-site request
 * refusal (lib/http/csrf.ts) and body reading (lib/http/body.ts) (the limits of failed
 * authentication are in auth-throttle.test.ts). Timers are fake where waiting matters; nothing measures real time.
 */
process.env.SYNCWATCH_PUBLIC_URL = "https://dash.example.com";

import { afterEach, describe, expect, it, vi } from "vitest";
import type { NextConfig } from "next";
import { MAX_BODY_BYTES } from "@/lib/api/limits";
import { ServiceUnavailableError, SyncwatchError } from "@/lib/domain/errors";
import { Admission } from "@/lib/http/admission";
import { isJsonType, parseJson, readBody } from "@/lib/http/body";
import { assertNotCrossSite, assertSameOrigin, requestOrigin } from "@/lib/http/csrf";
import { acceptsGzip } from "@/lib/http/memory-answers";

afterEach(() => {
  vi.useRealTimers();
});

/** A task that runs until released (or failed) from outside, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((res, rej) => {
    release = res;
    fail = rej;
  });
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    release,
    fail,
  };
}

/** Lets queued promise callbacks run. */
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

// ---------------------------------------------------------------------------------------------
// Admission
// ---------------------------------------------------------------------------------------------

describe("Admission", () => {
  it("runs up to `concurrent` tasks at once; the others wait", async () => {
    const a = new Admission({ concurrent: 2, queue: 10, maxWaitMs: 60_000 });
    const log: string[] = [];
    const gates = ["a", "b", "c"].map((n) => gate(log, n));
    const runs = gates.map((g) => a.run(g.task));
    await flush();
    expect(log).toEqual(["a", "b"]);
    expect(a.queued).toBe(1);
    gates[0].release();
    await flush();
    expect(log).toEqual(["a", "b", "c"]);
    expect(a.queued).toBe(0);
    gates[1].release();
    gates[2].release();
    expect(await Promise.all(runs)).toEqual(["a", "b", "c"]);
  });

  it("admits waiting tasks in arrival order", async () => {
    const a = new Admission({ concurrent: 1, queue: 10, maxWaitMs: 60_000 });
    const log: string[] = [];
    const gates = ["first", "w1", "w2", "w3", "w4"].map((n) => gate(log, n));
    const runs = gates.map((g) => a.run(g.task));
    await flush();
    for (let i = 0; i < gates.length; i++) {
      gates[i].release();
      await flush();
    }
    await Promise.all(runs);
    expect(log).toEqual(["first", "w1", "w2", "w3", "w4"]);
  });

  it("refuses at once with 503 and Retry-After when the queue is full", async () => {
    const a = new Admission({ concurrent: 1, queue: 2, maxWaitMs: 60_000 });
    const log: string[] = [];
    const gates = ["a", "b", "c"].map((n) => gate(log, n));
    const runs = gates.map((g) => a.run(g.task));
    const ran = vi.fn(async () => "never");
    const e = await a.run(ran).catch((x) => x);
    expect(e).toBeInstanceOf(ServiceUnavailableError);
    expect(e.code).toBe("SERVICE_UNAVAILABLE");
    expect(e.headers).toEqual({ "Retry-After": "1" });
    expect(e.details).toEqual({ queued: 2 });
    expect(ran).not.toHaveBeenCalled();
    for (const g of gates) g.release();
    await flush();
    expect(await Promise.all(runs)).toEqual(["a", "b", "c"]);
  });

  it("refuses with 503 a task that waited longer than maxWaitMs, and forgets it", async () => {
    vi.useFakeTimers();
    const a = new Admission({ concurrent: 1, queue: 10, maxWaitMs: 3000 });
    const log: string[] = [];
    const blocker = gate(log, "blocker");
    const running = a.run(blocker.task);
    const waiter = vi.fn(async () => "late");
    const waiting = a.run(waiter).catch((x) => x);
    await vi.advanceTimersByTimeAsync(2999);
    expect(a.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const e = await waiting;
    expect(e).toBeInstanceOf(ServiceUnavailableError);
    expect(e.headers).toEqual({ "Retry-After": "2" });
    expect(e.details).toEqual({ waitedMs: 3000 });
    expect(a.queued).toBe(0);
    blocker.release();
    await running;
    expect(waiter).not.toHaveBeenCalled();
    // the slot is free again: the next task runs at once
    expect(await a.run(async () => "next")).toBe("next");
  });

  it("releases the slot when a task fails, and passes its error on", async () => {
    const a = new Admission({ concurrent: 1, queue: 10, maxWaitMs: 60_000 });
    const log: string[] = [];
    const failing = gate(log, "failing");
    const r1 = a.run(failing.task).catch((x) => x);
    const r2 = a.run(async () => "after");
    failing.fail(new Error("boom"));
    expect((await r1).message).toBe("boom");
    expect(await r2).toBe("after");
    // a synchronous throw inside the task is released too
    await expect(
      a.run(() => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    // capacity is intact: `concurrent` tasks start without waiting
    const started: string[] = [];
    const g = gate(started, "x");
    const r = a.run(g.task);
    await flush();
    expect([started, a.queued]).toEqual([["x"], 0]);
    g.release();
    await r;
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-site requests
// ---------------------------------------------------------------------------------------------

const URL_ = new URL("http://localhost:3000/api/v1/activities");
const post = (headers: Record<string, string>) =>
  new Request(URL_, { method: "POST", headers: { host: "localhost:3000", ...headers } });

function refusedBy(fn: () => void): SyncwatchError | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(SyncwatchError);
    expect((e as SyncwatchError).code).toBe("FORBIDDEN");
    return e as SyncwatchError;
  }
}

describe("assertSameOrigin", () => {
  const check = (h: Record<string, string>, publicUrl: string | null = null) =>
    refusedBy(() => assertSameOrigin(post(h), URL_, publicUrl));

  it("accepts the dashboard's own origin, by Sec-Fetch-Site or by Origin", () => {
    expect(check({ "sec-fetch-site": "same-origin" })).toBeNull();
    expect(check({ origin: "http://localhost:3000" })).toBeNull();
    expect(check({ "sec-fetch-site": "same-origin", origin: "http://localhost:3000" })).toBeNull();
    expect(check({ origin: "https://dash.example.com" }, "https://dash.example.com")).toBeNull();
  });

  it("takes the origin behind a proxy from X-Forwarded-Host and X-Forwarded-Proto", () => {
    const h = { "x-forwarded-host": "sync.example.com", "x-forwarded-proto": "https" };
    expect(requestOrigin(post(h), URL_)).toBe("https://sync.example.com");
    expect(check({ ...h, origin: "https://sync.example.com" })).toBeNull();
    expect(check({ ...h, origin: "http://localhost:3000" })).not.toBeNull();
  });

  it("refuses cross-site and same-site requests (another port, a sibling subdomain)", () => {
    expect(check({ "sec-fetch-site": "cross-site" })?.details).toEqual({ secFetchSite: "cross-site" });
    expect(check({ "sec-fetch-site": "same-site", origin: "http://localhost:3001" })).not.toBeNull();
    expect(check({ origin: "http://localhost:3001" })?.details).toEqual({ origin: "http://localhost:3001" });
    expect(check({ origin: "https://evil.example.com" }, "https://dash.example.com")).not.toBeNull();
    expect(check({ origin: "https://localhost:3000" })).not.toBeNull();
    expect(check({ origin: "null" })).not.toBeNull();
    // Sec-Fetch-Site is not enough when the Origin says otherwise
    expect(check({ "sec-fetch-site": "same-origin", origin: "http://evil.test" })).not.toBeNull();
  });

  it("refuses a request that names no origin at all (send X-Api-Key instead)", () => {
    expect(check({})?.message).toMatch(/X-Api-Key/);
  });
});

describe("assertNotCrossSite", () => {
  const check = (h: Record<string, string>) => refusedBy(() => assertNotCrossSite(post(h), URL_));

  it("lets through a request without Origin or Sec-Fetch-Site (curl, scripts)", () => {
    expect(check({})).toBeNull();
  });

  it("accepts same-origin and the public URL; refuses another site", () => {
    expect(check({ "sec-fetch-site": "same-origin" })).toBeNull();
    expect(check({ origin: "https://dash.example.com" })).toBeNull();
    expect(check({ origin: "https://evil.example.com" })).not.toBeNull();
    expect(check({ "sec-fetch-site": "cross-site" })).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

describe("request bodies", () => {
  it("isJsonType accepts application/json and +json types only", () => {
    expect(isJsonType("application/json")).toBe(true);
    expect(isJsonType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonType("application/merge-patch+json")).toBe(true);
    for (const t of [null, "", "text/plain", "application/jsonx", "multipart/form-data", "application/json-seq"])
      expect(isJsonType(t), String(t)).toBe(false);
  });

  it("readBody reads up to MAX_BODY_BYTES and refuses more with 413", async () => {
    const req = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
      new Request("http://localhost/x", { method: "POST", body: body as BodyInit, headers });
    expect(await readBody(req('{"a":"ü"}'))).toBe('{"a":"ü"}');
    expect(await readBody(new Request("http://localhost/x"))).toBe("");
    const big = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20);
    const e = await readBody(req(big)).catch((x) => x);
    expect(e).toBeInstanceOf(SyncwatchError);
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    // the declared length alone is enough to refuse
    const declared = await readBody(req("{}", { "content-length": String(MAX_BODY_BYTES + 1) })).catch((x) => x);
    expect(declared.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("Next passes routes more than MAX_BODY_BYTES of a body, so an oversized one is counted (413), not cut short (400)", async () => {
    const file = new URL("../../next.config.mjs", import.meta.url).href;
    const { default: nextConfig } = (await import(/* @vite-ignore */ file)) as { default: NextConfig };
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBeGreaterThan(MAX_BODY_BYTES);
  });

  it("parseJson answers 400 naming the problem", () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    const e = (() => {
      try {
        parseJson("{oops");
      } catch (x) {
        return x as SyncwatchError;
      }
    })();
    expect(e?.code).toBe("BAD_REQUEST");
    expect((e?.details as { error: string }).error).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------
// Compression of the answers sent from memory (lib/http/memory-answers.ts)

describe("acceptsGzip", () => {
  it("takes gzip when named or covered by *, never when refused with q=0", () => {
    for (const yes of ["gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "*", "deflate, *;q=0.1"])
      expect([yes, acceptsGzip(yes)]).toEqual([yes, true]);
    for (const no of [undefined, "", "identity", "br, deflate", "gzip;q=0", "gzip; q=0.000, br", "x-gzip", "*;q=0"])
      expect([no, acceptsGzip(no)]).toEqual([no, false]);
  });
});
