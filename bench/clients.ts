/**
 * Simulated browsers and watchers: requests with the admin key, If-None-Match kept per path (as
 * a browser's cache revalidates), 503 + Retry-After honoured, and a tally of what came back.
 */
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
}

/**
 * One conditional GET: sends the ETag last seen for the path, records the outcome in `tally`
 * (when given) and returns the answer, or null when the request failed (counted as an error).
 */
export function conditionalGet(
  base: string,
  apiKey: string,
  path: string,
  etags: Map<string, string>,
  tally: Tally | null,
  signal?: AbortSignal,
): Promise<Answer | null> {
  const request = send(base, apiKey, path, etags, tally, signal);
  if (!signal) return request;
  // A fetch aborted while it waits for a connection can stay pending (seen with undici under
  // load): the caller is released when the signal fires, whatever the fetch does.
  return Promise.race([
    request,
    new Promise<null>((resolve) => {
      if (signal.aborted) resolve(null);
      else signal.addEventListener("abort", () => resolve(null), { once: true });
    }),
  ]);
}

async function send(
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
    const res = await fetch(base + path, { headers, signal });
    const body = await res.text();
    const ms = performance.now() - t;
    const tag = res.headers.get("etag");
    if (tag) etags.set(key, tag);
    const retry = res.headers.get("retry-after");
    const answer = { status: res.status, body, retryAfter: retry === null ? null : Number(retry), ms };
    if (tally) {
      tally.requests++;
      tally.latencies.push(ms);
      if (res.status === 200) tally.ok++;
      else if (res.status === 304) tally.notModified++;
      else if (res.status === 503 && retry !== null) tally.shed++;
      else {
        tally.errors++;
        if (tally.errorSamples.length < 5)
          tally.errorSamples.push(`${path} answered ${res.status}: ${body.slice(0, 200)}`);
      }
    }
    return answer;
  } catch (e) {
    if (signal?.aborted) return null;
    if (tally) {
      tally.requests++;
      tally.errors++;
      const cause = (e as Error & { cause?: Error }).cause;
      if (tally.errorSamples.length < 5)
        tally.errorSamples.push(`${path}: ${(e as Error).message}${cause ? ` (${cause.message})` : ""}`);
    }
    return null;
  }
}
