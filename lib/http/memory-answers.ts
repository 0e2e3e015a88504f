/**
 * Watchable answers sent from memory before Next's request pipeline.
 *
 * Why: a request through Next costs ~3 ms of server CPU whatever the handler does (its floor,
 * GET /health/live; docs/scaling.md). 400 browsers revalidating every 2 s kept one process at a
 * full core, and a burst of them (every client opening at once after a restart) queued for 8–13 s.
 * Almost all of those requests are conditional GETs whose answer is already in memory
 * (lib/live/answers.ts). Here such a request is answered from the raw HTTP server at a small
 * fraction of that cost, and a long poll waits here, written directly when its answer changes.
 *
 * It takes a request only when the answer is certain: a GET of a watchable endpoint (same
 * resolution, validation and authorisation as its route, ./watchable.ts) by a valid principal,
 * whose current answer is in memory. Everything else (a missing or bad key, a 400, an answer to
 * read, a deprecated path, any error) goes on to Next unchanged, which answers it as before.
 */
import type http from "node:http";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { authenticate, type HeaderSource } from "@/lib/auth/authenticate";
import { hasCurrentAnswer, type Answer } from "@/lib/live/answers";
import SECURITY_HEADERS from "./security-headers.json";
import { toErrorResponse } from "./errors";
import { inRequest } from "./request-context";
import { holds, liveOutcome, watchableAt, type LiveOutcome } from "./watchable";

const API = "/api/v1";
/** Paths answered here: plain segments only (no %-encoding, dot segments, empty segments or trailing slash). */
const PLAIN_PATH = /^\/api\/v1(\/[A-Za-z0-9_-][A-Za-z0-9._~-]*)+$/;
/** Below this a body is sent as it is (as Next's compression does). */
const GZIP_MIN_BYTES = 1024;

const gzipped = new WeakMap<Answer, Buffer>();

function gzipOf(a: Answer): Buffer {
  let gz = gzipped.get(a);
  if (!gz) gzipped.set(a, (gz = gzipSync(a.bytes)));
  return gz;
}

/** Whether an Accept-Encoding header takes gzip: named (or `*`) without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? "").split(",").some((part) => {
    const [coding, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const refused = params.some((p) => /^q=0(\.0{0,3})?$/.test(p));
    return (coding === "gzip" || coding === "*") && !refused;
  });
}

/** The request's headers as `authenticate` reads them. */
function headersOf(req: http.IncomingMessage): HeaderSource["headers"] {
  return {
    get(name) {
      const v = req.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

function send(
  headers: HeaderSource["headers"],
  res: http.ServerResponse,
  outcome: LiveOutcome,
  common: Record<string, string>,
) {
  if ("notModified" in outcome) {
    res.writeHead(304, { ...common, ETag: outcome.notModified, "Cache-Control": outcome.cacheControl }).end();
    return;
  }
  const a = outcome.answer;
  const gzip = a.bytes.length >= GZIP_MIN_BYTES && acceptsGzip(headers.get("accept-encoding") ?? undefined);
  const body = gzip ? gzipOf(a) : a.bytes;
  res
    .writeHead(200, {
      ...common,
      "Content-Type": "application/json; charset=utf-8",
      ETag: a.etag,
      "Cache-Control": a.cacheControl,
      Vary: "Accept-Encoding",
      ...(gzip ? { "Content-Encoding": "gzip" } : {}),
      "Content-Length": String(body.length),
    })
    .end(body);
}

async function sendError(res: http.ServerResponse, error: unknown, common: Record<string, string>) {
  const r = toErrorResponse(error, common["X-Request-Id"]);
  const body = Buffer.from(await r.arrayBuffer());
  res.writeHead(r.status, { ...common, ...Object.fromEntries(r.headers), "Content-Length": String(body.length) });
  res.end(body);
}

/**
 * Answers `req` from memory when it can. False at once for a request it cannot take (anything but
 * a GET of a plain API path); else a promise of whether it took it. When it did not, nothing was
 * written and the request is Next's to answer.
 */
export function answerFromMemory(req: http.IncomingMessage, res: http.ServerResponse): false | Promise<boolean> {
  const url = req.url;
  if (req.method !== "GET" || !url?.startsWith(API)) return false;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!PLAIN_PATH.test(path)) return false;
  return take(req, res, path, q < 0 ? "" : url.slice(q + 1));
}

async function take(req: http.IncomingMessage, res: http.ServerResponse, path: string, search: string) {
  const started = performance.now();
  const headers = headersOf(req);
  let watchable;
  try {
    const principal = await authenticate({ headers });
    if (!principal) return false;
    watchable = watchableAt(path.slice(API.length), new URLSearchParams(search), principal);
  } catch {
    return false;
  }
  if (!watchable || watchable.endpoint.deprecated || !hasCurrentAnswer(watchable.key)) return false;

  const requestId = randomUUID();
  const ifNoneMatch = headers.get("if-none-match");
  // Only a long poll waits, so only it needs a signal that its client went away: a signal and its
  // abort (a DOMException) cost more than the rest of answering a 304 from memory.
  const waiting = holds(watchable, ifNoneMatch) ? new AbortController() : null;
  let closed = false;
  res.once("close", () => {
    closed = true;
    if (!res.writableFinished) waiting?.abort();
  });
  await inRequest(requestId, async () => {
    const common = (): Record<string, string> => ({
      ...SECURITY_HEADERS,
      "X-Request-Id": requestId,
      "Server-Timing": `memory;dur=${(performance.now() - started).toFixed(1)}`,
    });
    try {
      const outcome = await liveOutcome(watchable, ifNoneMatch, waiting?.signal);
      if (!closed) send(headers, res, outcome, common());
    } catch (error) {
      if (!closed) await sendError(res, error, common());
    }
  });
  return true;
}
