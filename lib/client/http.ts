/**
 * The dashboard's requests, typed by the endpoint definitions (lib/api/endpoints.ts): same-origin,
 * cookie-authenticated. Non-2xx answers are the contract's ErrorBody, thrown as ApiError.
 */
import type { z } from "zod";
import type { Endpoint } from "@/lib/api/endpoints";
import { ErrorBody } from "@/lib/api/kit";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** A readable one-line description of any error a query or mutation produced. */
export function describeError(e: unknown): string {
  if (isApiError(e)) {
    if (e.status === 0) return e.message;
    const id = e.requestId ? ` — request ${e.requestId}` : "";
    return `${e.message} (${e.status} ${e.code}${id})`;
  }
  return e instanceof Error ? e.message : String(e);
}

type Schema<S> = [S] extends [z.ZodType] ? z.output<S> : void;
/** What an endpoint answers with. */
export type ResponseOf<E> =
  E extends Endpoint<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, infer R> ? Schema<R> : never;
/** The body an endpoint takes (before defaults apply). */
export type BodyOf<E> =
  E extends Endpoint<z.ZodType | undefined, z.ZodType | undefined, infer B, z.ZodType | undefined>
    ? [B] extends [z.ZodType]
      ? z.input<B>
      : undefined
    : never;

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryInput = Record<string, QueryValue>;

export interface RequestOptions {
  params?: Record<string, string | number>;
  query?: QueryInput;
  body?: unknown;
  signal?: AbortSignal;
}

/** The query string of a query object: lists comma-separated; empty values, false and [] left out. */
export function toQueryString(query: QueryInput | undefined): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(","));
    } else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/** The URL of an endpoint with its path parameters filled in. */
export function endpointUrl(ep: Endpoint, opts: Pick<RequestOptions, "params" | "query"> = {}): string {
  const path = ep.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = opts.params?.[name];
    if (v === undefined) throw new Error(`${ep.id}: missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
  return `/api/v1${path}${toQueryString(opts.query)}`;
}

async function send(
  ep: Endpoint,
  opts: RequestOptions,
  headers: Record<string, string>,
  cache: RequestCache,
): Promise<Response> {
  try {
    return await fetch(endpointUrl(ep, opts), {
      method: ep.method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(ep.method !== "GET" ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: ep.method !== "GET" ? JSON.stringify(opts.body ?? {}) : undefined,
      signal: opts.signal,
      cache,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK", "The Syncwatch server could not be reached");
  }
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success)
    return new ApiError(res.status, parsed.data.code, parsed.data.message, parsed.data.details, parsed.data.requestId);
  return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || `Request failed with status ${res.status}`);
}

/** Calls an endpoint; resolves with its (JSON) answer. */
export async function request<E extends Endpoint>(ep: E, opts: RequestOptions = {}): Promise<ResponseOf<E>> {
  // "no-cache" revalidates every time: polls send If-None-Match and get 304s transparently.
  const res = await send(ep, opts, {}, "no-cache");
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as ResponseOf<E>;
  return (await res.json()) as ResponseOf<E>;
}

/**
 * A conditional (and, with `wait` in the query, long-polling) read: sends the ETag it has and
 * resolves with `notModified` when the server says the data is still current.
 */
export async function requestConditional<E extends Endpoint>(
  ep: E,
  opts: RequestOptions & { etag: string | null },
): Promise<{ notModified: true; etag: string } | { notModified: false; etag: string | null; data: ResponseOf<E> }> {
  const res = await send(ep, opts, opts.etag ? { "if-none-match": opts.etag } : {}, "no-store");
  if (res.status === 304) return { notModified: true, etag: opts.etag ?? res.headers.get("etag") ?? "" };
  if (!res.ok) throw await failure(res);
  return { notModified: false, etag: res.headers.get("etag"), data: (await res.json()) as ResponseOf<E> };
}
