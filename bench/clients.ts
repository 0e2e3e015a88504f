/**
 * Simulated browsers and watchers: requests with the admin key, If-None-Match kept per path (as
 * a browser's cache revalidates), 503 + Retry-After honoured, and a tally of what came back; and
 * the pages' own transport, the event stream of GET /api/v1/live.
 */
import http from "node:http";
import zlib from "node:zlib";
import { percentile } from "./stats";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Tally {
  requests: number;
  ok: number;
  notModified: number;
  /** 503 with Retry-After: shedding, allowed. */
  shed: number;
  errors: number;
  errorSamples: string[];
  latencies: number[];
}

export const newTally = (): Tally => ({
  requests: 0,
  ok: 0,
  notModified: 0,
  shed: 0,
  errors: 0,
  errorSamples: [],
  latencies: [],
});

export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latencyFigures(samples: number[]): LatencyFigures {
  const s = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
  };
}

export interface Answer {
  status: number;
  body: string;
  /** Seconds the server asked to wait (503). */
  retryAfter: number | null;
  ms: number;
  /** When it had arrived whole (performance.now()). */
  at: number;
}

/**
 * The simulated clients' connections: kept alive and unlimited in number, as each watcher or
 * browser holds its own. `node:http` rather than `fetch`: with 500 watchers answered at once,
 * undici's per-response cost in this one bench process, not the server, set the latency seen.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** When the body had arrived whole (performance.now()). */
  at: number;
}

/** A GET that takes gzip, as a browser does, and reads the whole body. */
function get(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { ...headers, "Accept-Encoding": "gzip" }, agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("close", () => !res.complete && reject(new Error("the connection closed before the answer ended")));
      res.on("end", () => {
        const at = performance.now();
        // Decoding and whatever the caller does next (its next request) wait until every answer that
        // arrived with this one is timed: one process plays hundreds of clients, each on its own machine.
        setImmediate(() => {
          try {
            const raw = Buffer.concat(chunks);
            const text = res.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(raw) : raw;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text.toString("utf8"), at });
          } catch (e) {
            reject(e as Error);
          }
        });
      });
    });
    request.on("error", reject);
  });
}

const header = (h: http.IncomingHttpHeaders, name: string): string | null => {
  const v = h[name];
  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
};

/**
 * One conditional GET: sends the ETag last seen for the path, records the outcome in `tally`
 * (when given) and returns the answer, or null when the request failed (counted as an error).
 */
export async function conditionalGet(
  base: string,
  apiKey: string,
  path: string,
  etags: Map<string, string>,
  tally: Tally | null,
  signal?: AbortSignal,
): Promise<Answer | null> {
  const headers: Record<string, string> = { "X-Api-Key": apiKey };
  const key = path.replace(/[?&]wait=\d+/, "");
  const etag = etags.get(key);
  if (etag) headers["If-None-Match"] = etag;
  const t = performance.now();
  try {
    const res = await get(new URL(path, base), headers, signal);
    const ms = res.at - t;
    const tag = header(res.headers, "etag");
    if (tag) etags.set(key, tag);
    const retry = header(res.headers, "retry-after");
    const answer = {
      status: res.status,
      body: res.body,
      retryAfter: retry === null ? null : Number(retry),
      ms,
      at: res.at,
    };
    if (tally) {
      tally.requests++;
      tally.latencies.push(ms);
      if (res.status === 200) tally.ok++;
      else if (res.status === 304) tally.notModified++;
      else if (res.status === 503 && retry !== null) tally.shed++;
      else {
        tally.errors++;
        if (tally.errorSamples.length < 5)
          tally.errorSamples.push(`${path} answered ${res.status}: ${res.body.slice(0, 200)}`);
      }
    }
    return answer;
  } catch (e) {
    if (signal?.aborted) return null;
    if (tally) {
      tally.requests++;
      tally.errors++;
      if (tally.errorSamples.length < 5) tally.errorSamples.push(`${path}: ${(e as Error).message}`);
    }
    return null;
  }
}

/** One event of a Server-Sent-Events stream, as EventSource dispatches it. */
export interface StreamEvent {
  type: string;
  data: string;
  /** When the event had arrived whole (performance.now()). */
  at: number;
}

export interface Stream {
  /** Settles when the stream first says `ready` (rejects when it could not be opened). */
  ready: Promise<void>;
  /** Times the stream was opened again after the server ended it (its lifetime) or it broke. */
  readonly reopened: number;
  close(): void;
}

/**
 * A page's stream, GET /api/v1/live with `subscriptions` (`<id>:<etag>:<path>`), as EventSource
 * keeps it: one connection of its own, each event handed to `onEvent` as it arrives, opened again
 * with Last-Event-ID when the server ends it. `onError` hears a refusal or a broken connection.
 */
export function openStream(
  base: string,
  apiKey: string,
  subscriptions: string[],
  onEvent: (e: StreamEvent) => void,
  onError: (why: string) => void,
): Stream {
  const url = new URL("/api/v1/live", base);
  for (const s of subscriptions) url.searchParams.append("s", s);
  let lastEventId: string | null = null;
  let request: http.ClientRequest | null = null;
  let closed = false;
  let reopened = 0;
  let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => undefined);
  const fail = (why: string) => {
    if (closed) return;
    onError(why);
    if (settle) settle.reject(new Error(why));
    settle = null;
  };
  const dispatch = (block: string, at: number) => {
    let type = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") type = value;
      else if (field === "data") data.push(value);
      else if (field === "id") lastEventId = value;
    }
    if (!data.length) return;
    if (type === "ready" && settle) {
      settle.resolve();
      settle = null;
    }
    onEvent({ type, data: data.join("\n"), at });
  };
  const open = () => {
    const headers: Record<string, string> = { "X-Api-Key": apiKey, Accept: "text/event-stream" };
    if (lastEventId) headers["Last-Event-ID"] = lastEventId;
    request = http.get(url, { headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        fail(`GET /live answered ${res.statusCode}`);
        res.resume();
        return;
      }
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        buffer += chunk;
        const at = performance.now();
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          dispatch(buffer.slice(0, end), at);
          buffer = buffer.slice(end + 2);
        }
      });
      res.on("end", () => {
        if (closed) return;
        reopened++;
        open();
      });
      res.on("error", () => undefined);
    });
    request.on("error", (e) => {
      if (closed) return;
      fail(`GET /live: ${e.message}`);
      reopened++;
      setTimeout(() => !closed && open(), 1000);
    });
  };
  open();
  return {
    ready,
    get reopened() {
      return reopened;
    },
    close() {
      closed = true;
      request?.destroy();
    },
  };
}
