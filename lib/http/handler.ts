import { createHash } from "node:crypto";
import type { z } from "zod";
import { MAX_BODY_BYTES } from "@/lib/api/schemas";
import { authenticate, mayAccess, type Principal } from "@/lib/auth/authenticate";
import { HttpError, toErrorResponse, errorResponse } from "./errors";

export type Access = "public" | "read" | "admin";

export interface RouteContext<P> {
  req: Request;
  url: URL;
  params: P;
  principal: Principal;
}

type NextCtx = { params: Promise<Record<string, string | string[]>> };

/**
 * The one wrapper every /api/v1 handler goes through: authenticate, authorise, validate the path
 * parameters, run the handler, and turn anything thrown into the JSON error body.
 */
export function route<S extends z.ZodType | undefined = undefined>(
  options: { access: Access; params?: S },
  handler: (ctx: RouteContext<S extends z.ZodType ? z.output<S> : Record<string, never>>) => Promise<Response>,
) {
  return async (req: Request, nextCtx?: NextCtx): Promise<Response> => {
    const started = performance.now();
    const res = await run(req, nextCtx);
    // Time spent in the handler (auth, validation, service, store): visible in browser dev tools.
    try {
      res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
    } catch {
      /* immutable headers */
    }
    return res;
  };

  async function run(req: Request, nextCtx?: NextCtx): Promise<Response> {
    try {
      let principal: Principal | null = null;
      if (options.access !== "public") {
        principal = await authenticate(req);
        if (!principal)
          return errorResponse("UNAUTHORISED", "Authentication required: send X-Api-Key or sign in.", undefined, {
            "WWW-Authenticate": 'ApiKey header="X-Api-Key"',
          });
        if (!mayAccess(principal, options.access))
          return errorResponse("FORBIDDEN", "Insufficient permissions (Administrator role required).");
      }
      const raw = nextCtx?.params ? await nextCtx.params : {};
      let params: unknown = raw;
      if (options.params) {
        const parsed = options.params.safeParse(raw);
        if (!parsed.success) {
          throw new HttpError(
            "BAD_REQUEST",
            "A path parameter is not valid.",
            parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
          );
        }
        params = parsed.data;
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return await handler({ req, url: new URL(req.url), params: params as any, principal: principal as Principal });
    } catch (error) {
      return toErrorResponse(error);
    }
  }
}

/** Query string → object: repeated keys become arrays; strict schemas then refuse unknown names. */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.output<S> {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = raw[k];
    raw[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new HttpError(
      "BAD_REQUEST",
      "The query is not valid.",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message })),
    );
  return parsed.data;
}

/**
 * JSON body with the edge checks: application/json only (415), at most MAX_BODY_BYTES by the
 * Content-Length header and by the bytes actually read (413), valid JSON and valid shape (400).
 * An empty body counts as {} when `allowEmpty` (cancel, triggers).
 */
export async function parseBody<S extends z.ZodType>(
  schema: S,
  req: Request,
  opts: { allowEmpty?: boolean } = {},
): Promise<z.output<S>> {
  const length = req.headers.get("content-length");
  if (length !== null && Number(length) > MAX_BODY_BYTES) {
    // Read a moderately oversized body to its end so the connection stays usable for keep-alive.
    if (Number(length) <= DRAIN_LIMIT_BYTES) await drain(req);
    throw new HttpError("PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes.`, {
      maxBytes: MAX_BODY_BYTES,
    });
  }
  const text = await readLimited(req, MAX_BODY_BYTES);
  const type = req.headers.get("content-type");
  if (text.trim() === "" && opts.allowEmpty) return validate(schema, {});
  if (!type || !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim()))
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.", { contentType: type });
  if (text.trim() === "") throw new HttpError("BAD_REQUEST", "A JSON body is required.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HttpError("BAD_REQUEST", "The body is not valid JSON.", {
      error: e instanceof Error ? e.message : String(e),
    });
  }
  return validate(schema, json);
}

function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new HttpError(
      "BAD_REQUEST",
      "The body is not valid.",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message })),
    );
  return parsed.data;
}

const DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES;

async function drain(req: Request): Promise<void> {
  if (!req.body) return;
  const reader = req.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || !value) return;
    total += value.byteLength;
    if (total > DRAIN_LIMIT_BYTES) return void (await reader.cancel().catch(() => undefined));
  }
}

async function readLimited(req: Request, max: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      // Keep reading (without storing) up to the drain limit so the connection stays usable.
      for (;;) {
        const next = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (next.done || !next.value) break;
        total += next.value.byteLength;
        if (total > DRAIN_LIMIT_BYTES) {
          await reader.cancel().catch(() => undefined);
          break;
        }
      }
      throw new HttpError("PAYLOAD_TOO_LARGE", `The body is larger than ${max} bytes.`, { maxBytes: max });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function json(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** Weak ETag from whatever identifies the representation (versions, timestamps, the query). */
export function weakEtag(...parts: unknown[]): string {
  return `W/"${createHash("sha1").update(JSON.stringify(parts)).digest("base64url").slice(0, 22)}"`;
}

function etagMatches(req: Request, etag: string): boolean {
  const header = req.headers.get("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => bare(t) === bare(etag));
}

/**
 * A polled GET: 304 when the client already has this version, else the JSON with its ETag.
 * The body is built only when it is sent, so compute the ETag from a cheap version read.
 */
export async function conditionalJson(
  req: Request,
  etag: string,
  body: () => unknown,
  headers?: HeadersInit,
): Promise<Response> {
  const h = new Headers(headers);
  h.set("ETag", etag);
  h.set("Cache-Control", "private, no-cache");
  if (etagMatches(req, etag)) return new Response(null, { status: 304, headers: h });
  return json(await body(), { headers: h });
}
