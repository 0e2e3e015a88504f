/**
 * The one wrapper every /api/v1 handler goes through. From the endpoint's definition it
 * authenticates and authorises, refuses cross-site writes, validates path, query and body,
 * replays idempotent requests, admits work to the embedded store fairly, and turns anything
 * thrown into the JSON error body with a request id.
 *
 * A watchable endpoint passes `live: liveViews.<id>` (lib/services/live-views.ts) instead of a
 * handler: route() then keys the answer by the endpoint, its path parameters and its normalised
 * query, serves it from memory while nothing it was read from changed (one read per change for
 * every client, lib/live/answers.ts), answers If-None-Match with 304, and — on a long-poll
 * endpoint — holds `?wait=` requests without a store connection until the answer changes.
 */
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Endpoint } from "@/lib/api/endpoints";
import { getConfig } from "@/lib/config";
import { authenticate, type Principal } from "@/lib/auth/authenticate";
import { BadRequestError, SyncwatchError } from "@/lib/domain/errors";
import { idempotently as runIdempotently, type StoredAnswer } from "@/lib/services/idempotency";
import type { Answer, Versioned } from "@/lib/live/answers";
import type { AnyLiveView } from "@/lib/services/live-views";
import { admitted } from "./admission";
import { isJsonType, parseJson, readBody } from "./body";
import { assertSameOrigin } from "./csrf";
import { toErrorResponse } from "./errors";
import { attemptOf, failedAttempt } from "./rate-limit";
import { inRequest } from "./request-context";
import { parsePart, queryObject } from "./request-parts";
import { liveOutcome, watchableOf } from "./watchable";

type Out<S> = [S] extends [z.ZodType] ? z.output<S> : undefined;
type Parts<E> =
  E extends Endpoint<infer P, infer Q, infer B, z.ZodType | undefined>
    ? { params: Out<P>; query: Out<Q>; body: Out<B> }
    : never;

export interface Context<E extends Endpoint> {
  req: Request;
  url: URL;
  requestId: string;
  params: Parts<E>["params"];
  query: Parts<E>["query"];
  body: Parts<E>["body"];
  /** The caller; null only on public endpoints. */
  principal: E["access"] extends "public" ? Principal | null : Principal;
}

/** A watchable answer: what changes it and the read that builds it (see lib/services/live-views.ts). */
export interface Live<E extends Endpoint> {
  watch: (input: { params: Parts<E>["params"]; query: Parts<E>["query"] }) => string[];
  read: (input: { params: Parts<E>["params"]; query: Parts<E>["query"] }) => Promise<Versioned>;
}

export type RouteOptions<E extends Endpoint> =
  | {
      handler: (ctx: Context<E>) => Promise<Response>;
      live?: never;
      /** False for a handler that admits its own store reads (the live stream): it holds no slot while it waits. */
      admit?: boolean;
    }
  | { live: Live<E>; handler?: never; admit?: never };

type NextContext = { params: Promise<Record<string, string | string[]>> };

export function json(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** A streamed CSV download (never cached: it is a snapshot of the moment it was asked for). */
export function csv(stream: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

/** RFC 9745 Deprecation (a structured date), RFC 8594 Sunset (an HTTP date) and the successor's link. */
function markDeprecated(res: Response, d: NonNullable<Endpoint["deprecated"]>, url: URL, params: unknown) {
  const values = (params ?? {}) as Record<string, string>;
  const successor = d.successor.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] ?? ""));
  res.headers.set("Deprecation", `@${Math.floor(Date.parse(d.since) / 1000)}`);
  res.headers.set("Sunset", new Date(d.sunset).toUTCString());
  res.headers.append("Link", `</api/v1${successor}${url.search}>; rel="successor-version"`);
}

function notModified(etag: string, cacheControl: string): Response {
  return new Response(null, {
    status: 304,
    headers: { ETag: etag, "Cache-Control": cacheControl },
  });
}

/**
 * The answer's bytes as serialised once. (Next strips Content-Encoding from a handler's answer, so
 * compression stays with the server's own middleware.)
 */
function answerResponse(req: Request, a: Answer): Response {
  return new Response(req.method === "HEAD" ? null : a.bytes, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      ETag: a.etag,
      "Cache-Control": a.cacheControl,
    },
  });
}

/** Serves a watchable answer: from memory when current, 304 to a matching ETag, long poll with ?wait=. */
async function serveLive<E extends Endpoint>(
  endpoint: E,
  live: Live<E>,
  req: Request,
  params: unknown,
  query: unknown,
) {
  const w = watchableOf(endpoint, live as unknown as AnyLiveView, params, query);
  const outcome = await liveOutcome(w, req.headers.get("if-none-match"), req.signal);
  return "answer" in outcome
    ? answerResponse(req, outcome.answer)
    : notModified(outcome.notModified, outcome.cacheControl);
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function authorise(endpoint: Endpoint, req: Request, url: URL): Promise<Principal | null> {
  if (endpoint.access === "public") return null;
  const principal = await authenticate(req);
  if (!principal) {
    const unauthorised = {
      message: "Authentication required: send X-Api-Key or sign in.",
      headers: { "WWW-Authenticate": 'ApiKey header="X-Api-Key"' },
    };
    // A wrong key counts against its client and prefix (a valid key is never refused); an expired
    // session cookie does not count: it must lead to the sign-in page, not to a 429.
    const key = req.headers.get("x-api-key")?.trim();
    if (key) throw failedAttempt(attemptOf(req, key), unauthorised);
    throw new SyncwatchError("UNAUTHORISED", unauthorised.message, undefined, unauthorised.headers);
  }
  if (endpoint.access === "admin" && principal.role !== "Administrator")
    throw new SyncwatchError("FORBIDDEN", "Insufficient permissions (Administrator role required).");
  if (principal.via === "session" && WRITE.has(req.method)) {
    assertSameOrigin(req, url, getConfig().publicUrl);
    if (!isJsonType(req.headers.get("content-type")))
      throw new SyncwatchError(
        "UNSUPPORTED_MEDIA_TYPE",
        "Send writes made with the session cookie as application/json.",
      );
  }
  return principal;
}

async function parseBody(endpoint: Endpoint, req: Request): Promise<unknown> {
  if (!endpoint.body) return undefined;
  const text = await readBody(req);
  if (text.trim() === "" && endpoint.bodyOptional) return parsePart("body", endpoint.body, {});
  if (!isJsonType(req.headers.get("content-type")))
    throw new SyncwatchError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.", {
      contentType: req.headers.get("content-type"),
    });
  if (text.trim() === "") throw new BadRequestError("A JSON body is required.");
  return parsePart("body", endpoint.body, parseJson(text));
}

/** Requests with an Idempotency-Key run once per key (lib/services/idempotency.ts). */
async function idempotently(
  req: Request,
  principal: Principal,
  rawBody: unknown,
  url: URL,
  run: () => Promise<Response>,
): Promise<Response> {
  const key = req.headers.get("idempotency-key")?.trim();
  if (!key) return run();
  if (key.length > 200) throw new BadRequestError("Idempotency-Key is at most 200 characters.");
  const requestHash = createHash("sha256")
    .update(JSON.stringify([req.method, url.pathname, rawBody ?? null]))
    .digest("hex");
  return runIdempotently({ apiKeyId: principal.keyId, key, requestHash }, run, recorded, replay);
}

/** A successful answer is kept for replays; any other keeps nothing. */
async function recorded(res: Response) {
  if (res.status < 200 || res.status >= 300) return null;
  return { statusCode: res.status, body: await res.clone().json(), location: res.headers.get("location") };
}

function replay(stored: StoredAnswer): Response {
  const headers: Record<string, string> = { "Idempotent-Replayed": "true" };
  if (stored.location) headers.Location = stored.location;
  return json(stored.body, { status: stored.statusCode ?? 200, headers });
}

export function route<E extends Endpoint>(
  endpoint: E,
  options: RouteOptions<E> | ((ctx: Context<E>) => Promise<Response>),
) {
  const opts: RouteOptions<E> = typeof options === "function" ? { handler: options } : options;
  return async (req: Request, nextCtx?: NextContext): Promise<Response> => {
    const started = performance.now();
    const requestId = randomUUID();
    let res: Response;
    try {
      res = await inRequest(requestId, () => serve(req, nextCtx, requestId));
    } catch (error) {
      res = toErrorResponse(error, requestId);
    }
    if (endpoint.deprecated) markDeprecated(res, endpoint.deprecated, new URL(req.url), await nextCtx?.params);
    res.headers.set("X-Request-Id", requestId);
    res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
    return res;
  };

  async function serve(req: Request, nextCtx: NextContext | undefined, requestId: string): Promise<Response> {
    const url = new URL(req.url);
    const params = parsePart("path", endpoint.params, nextCtx?.params ? await nextCtx.params : {});
    const query = parsePart("query", endpoint.query, queryObject(url.searchParams));
    const principal = await authorise(endpoint, req, url);
    if (opts.live) return serveLive(endpoint, opts.live, req, params, query);
    const body = await parseBody(endpoint, req);
    const ctx = { req, url, requestId, params, query, body, principal } as Context<E>;
    const handler = opts.handler!;
    const attempt = () => (opts.admit === false ? handler(ctx) : admitted(() => handler(ctx)));
    if (endpoint.idempotent && principal) return idempotently(req, principal, body, url, attempt);
    return attempt();
  }
}
