/**
 * The dashboard's requests (lib/client/endpoints.ts), typed by the endpoint definitions: same-origin,
 * cookie-authenticated. Non-2xx answers are the contract's ErrorBody, thrown as ApiError.
 */
import type { z } from "zod";
import type { Endpoint } from "@/lib/api/endpoints";
import type { ErrorBody } from "@/lib/api/kit";
import type { RouteEntry } from "@/lib/api/route-table";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import { ERROR_CODES, type ErrorCode } from "@/lib/domain/errors";
import type { Route } from "./endpoints";

/**
 * What a request failed with: an error code of the contract, NETWORK when the server could not be
 * reached, or HTTP_<status> for an answer without the contract's error body and with a status the
 * contract does not use (a proxy's 502, say).
 */
export type ApiErrorCode = ErrorCode | "NETWORK" | `HTTP_${number}`;

const CODE_OF_STATUS = new Map(Object.entries(STATUS_OF_CODE).map(([code, status]) => [status, code as ErrorCode]));

export class ApiError extends Error {
  constructor(
    /** For display only: branch on `code` (ApiError.is). 0 when the server was not reached. */
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
    /** What the answer's Retry-After asked for, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** True when `e` is an ApiError, and (when codes are given) carries one of them. */
  static is(e: unknown, ...codes: ApiErrorCode[]): e is ApiError {
    return e instanceof ApiError && (codes.length === 0 || codes.includes(e.code));
  }
}

/** A readable one-line description of any error a query or mutation produced. */
export function describeError(e: unknown): string {
  if (ApiError.is(e)) {
    if (e.code === "NETWORK") return e.message;
    const id = e.requestId ? ` — request ${e.requestId}` : "";
    return `${e.message} (${e.status} ${e.code}${id})`;
  }
  return e instanceof Error ? e.message : String(e);
}

type Schema<S> = [S] extends [z.ZodType] ? z.output<S> : void;
/** What an endpoint (its definition, or its route in the browser) answers with. */
export type ResponseOf<E> =
  E extends Endpoint<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, infer R>
    ? Schema<R>
    : E extends Route<infer D>
      ? ResponseOf<D>
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
export function endpointUrl(ep: RouteEntry, opts: Pick<RequestOptions, "params" | "query"> = {}): string {
  const path = ep.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = opts.params?.[name];
    if (v === undefined) throw new Error(`${ep.id}: missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
  return `/api/v1${path}${toQueryString(opts.query)}`;
}

async function send(
  ep: RouteEntry,
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

/** The contract's ErrorBody, tested by hand: its schema (zod) is not shipped to the browser. */
function isErrorBody(json: unknown): json is ErrorBody {
  if (!json || typeof json !== "object" || Array.isArray(json)) return false;
  const b = json as Record<string, unknown>;
  return (
    typeof b.code === "string" &&
    (ERROR_CODES as readonly string[]).includes(b.code) &&
    typeof b.message === "string" &&
    (b.requestId === undefined || typeof b.requestId === "string")
  );
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const retryAfter = Number(res.headers.get("retry-after") ?? "");
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  if (isErrorBody(json)) {
    const { code, message, details, requestId } = json;
    return new ApiError(res.status, code, message, details, requestId, retryAfterMs);
  }
  return new ApiError(
    res.status,
    CODE_OF_STATUS.get(res.status) ?? `HTTP_${res.status}`,
    res.statusText || `Request failed with status ${res.status}`,
    undefined,
    undefined,
    retryAfterMs,
  );
}

/** Calls an endpoint; resolves with its (JSON) answer. */
export async function request<E extends RouteEntry>(ep: E, opts: RequestOptions = {}): Promise<ResponseOf<E>> {
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
export async function requestConditional<E extends RouteEntry>(
  ep: E,
  opts: RequestOptions & { etag: string | null },
): Promise<{ notModified: true; etag: string } | { notModified: false; etag: string | null; data: ResponseOf<E> }> {
  const res = await send(ep, opts, opts.etag ? { "if-none-match": opts.etag } : {}, "no-store");
  if (res.status === 304) return { notModified: true, etag: opts.etag ?? res.headers.get("etag") ?? "" };
  if (!res.ok) throw await failure(res);
  return { notModified: false, etag: res.headers.get("etag"), data: (await res.json()) as ResponseOf<E> };
}
