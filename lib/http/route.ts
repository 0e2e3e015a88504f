/**
 * The one wrapper every /api/v1 handler goes through. From the endpoint's definition it
 * authenticates and authorises, refuses cross-site writes, validates path, query and body,
 * replays idempotent requests, answers conditional and long-poll requests (from memory when the
 * change signal knows the version), admits work to the embedded store fairly, and turns anything
 * thrown into the JSON error body with a request id.
 */
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Endpoint } from "@/lib/api/endpoints";
import { getConfig } from "@/lib/config";
import { authenticate, readCookie, type Principal } from "@/lib/auth/authenticate";
import { SESSION_COOKIE } from "@/lib/auth/secrets";
import { BadRequestError, SyncwatchError } from "@/lib/domain/errors";
import { idempotently as runIdempotently, type StoredAnswer } from "@/lib/services/idempotency";
import { waitForChange } from "@/lib/repo/changes";
import { Admission, EMBEDDED_LIMITS } from "./admission";
import { isJsonType, parseJson, readBody } from "./body";
import { assertSameOrigin } from "./csrf";
import { errorResponse, invalidRequest, toErrorResponse } from "./errors";
import { assertMayAttempt, clientOf, recordFailure } from "./rate-limit";

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

/** A representation with an ETag: built only when the client does not have it already. */
export interface Conditional {
  etag: string;
  build: () => unknown;
  /** Default "private, no-cache" (revalidate every time). */
  cacheControl?: string;
  headers?: HeadersInit;
}

export type Result = Response | Conditional;

export interface RouteOptions<E extends Endpoint> {
  handler: (ctx: Context<E>) => Promise<Result>;
  /** The ETag when the process knows it without the store (conditional endpoints); null otherwise. */
  etagFromMemory?: (ctx: Context<E>) => string | null;
  /** What a long poll waits on: activity ids, or ANY_ACTIVITY. */
  waitOn?: (ctx: Context<E>) => string[];
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

const g = globalThis as unknown as { __syncwatchAdmission?: Admission };

function admission(): Admission | null {
  if (getConfig().store.kind !== "pglite") return null;
  return (g.__syncwatchAdmission ??= new Admission(EMBEDDED_LIMITS));
}

export function json(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** A weak ETag from whatever identifies the representation (versions, the query). */
export function weakEtag(...parts: unknown[]): string {
  return `W/"${createHash("sha1").update(JSON.stringify(parts)).digest("base64url").slice(0, 27)}"`;
}

function etagMatches(req: Request, etag: string): boolean {
  const header = req.headers.get("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => bare(t) === bare(etag));
}

function notModified(etag: string, cacheControl?: string): Response {
  return new Response(null, {
    status: 304,
    headers: { ETag: etag, "Cache-Control": cacheControl ?? "private, no-cache" },
  });
}

async function answer(req: Request, result: Result): Promise<Response> {
  if (result instanceof Response) return result;
  if (etagMatches(req, result.etag)) return notModified(result.etag, result.cacheControl);
  const headers = new Headers(result.headers);
  headers.set("ETag", result.etag);
  headers.set("Cache-Control", result.cacheControl ?? "private, no-cache");
  return json(await result.build(), { headers });
}

function queryObject(url: URL): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = raw[k];
    raw[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return raw;
}

function parsePart(part: "path" | "query" | "body", schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(part, parsed.error);
  return parsed.data;
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function authorise(endpoint: Endpoint, req: Request, url: URL): Promise<Principal | null> {
  if (endpoint.access === "public") return null;
  const client = clientOf(req);
  const presented = req.headers.has("x-api-key") || readCookie(req, SESSION_COOKIE) !== null;
  if (presented) assertMayAttempt(client);
  const principal = await authenticate(req);
  if (!principal) {
    if (presented) recordFailure(client);
    throw new SyncwatchError("UNAUTHORISED", "Authentication required: send X-Api-Key or sign in.", undefined, {
      "WWW-Authenticate": 'ApiKey header="X-Api-Key"',
    });
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
  return runIdempotently({ apiKeyId: principal.keyId, key, requestHash }, run, replay);
}

function replay(stored: StoredAnswer): Response {
  const headers: Record<string, string> = { "Idempotent-Replayed": "true" };
  if (stored.location) headers.Location = stored.location;
  return json(stored.body, { status: stored.statusCode ?? 200, headers });
}

export function route<E extends Endpoint>(endpoint: E, options: RouteOptions<E> | RouteOptions<E>["handler"]) {
  const opts: RouteOptions<E> = typeof options === "function" ? { handler: options } : options;
  return async (req: Request, nextCtx?: NextContext): Promise<Response> => {
    const started = performance.now();
    const requestId = randomUUID();
    let res: Response;
    try {
      res = await serve(req, nextCtx, requestId);
    } catch (error) {
      res = toErrorResponse(error, requestId);
    }
    res.headers.set("X-Request-Id", requestId);
    res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
    return res;
  };

  async function serve(req: Request, nextCtx: NextContext | undefined, requestId: string): Promise<Response> {
    const url = new URL(req.url);
    const params = parsePart("path", endpoint.params, nextCtx?.params ? await nextCtx.params : {});
    const query = parsePart("query", endpoint.query, queryObject(url));
    const principal = await authorise(endpoint, req, url);
    const body = await parseBody(endpoint, req);
    const ctx = { req, url, requestId, params, query, body, principal } as Context<E>;
    const attempt = async (): Promise<Response> => {
      const known = opts.etagFromMemory?.(ctx);
      if (known && etagMatches(req, known)) return notModified(known);
      const gate = admission();
      const result = gate ? await gate.run(() => opts.handler(ctx)) : await opts.handler(ctx);
      return answer(req, result);
    };
    if (endpoint.idempotent && principal) return idempotently(req, principal, body, url, attempt);
    const wait = (query as { wait?: number } | undefined)?.wait ?? 0;
    if (!endpoint.longPoll || wait <= 0 || !req.headers.has("if-none-match") || !opts.waitOn) return attempt();
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      const res = await attempt();
      const remaining = deadline - Date.now();
      if (res.status !== 304 || remaining <= 0) return res;
      if (!(await waitForChange(opts.waitOn(ctx), remaining, req.signal))) return res;
    }
  }
}

/** Sign-out and other public writes: refuse them from another site when a browser says so. */
export function sessionCookieOf(req: Request): string | null {
  return readCookie(req, SESSION_COOKIE);
}

export const jsonError = errorResponse;
