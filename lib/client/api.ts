/**
 * Browser fetch wrapper for /api/v1: same-origin, cookie-authenticated. Non-2xx responses are
 * parsed as the contract's ErrorBody and thrown as ApiError so pages can say what went wrong.
 */
import type { z } from "zod";
import { ErrorBody } from "@/lib/api/schemas";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
  get isUnauthorised() {
    return this.status === 401;
  }
  get isForbidden() {
    return this.status === 403;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A readable one-line description of any error a query or mutation produced. */
export function describeError(e: unknown): string {
  if (isApiError(e)) return e.status === 0 ? e.message : `${e.message} (${e.status} ${e.code})`;
  if (e instanceof Error) return e.message;
  return String(e);
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export function toQueryString(params: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(","));
    } else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}

interface FetchOptions<T> {
  method?: "GET" | "POST" | "DELETE";
  body?: unknown;
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

export async function apiFetch<T>(path: string, opts: FetchOptions<T> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? "GET",
      credentials: "same-origin",
      headers:
        opts.body !== undefined
          ? { "content-type": "application/json", accept: "application/json" }
          : { accept: "application/json" },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
      // "no-cache" revalidates every time, so polls send If-None-Match and get 304s transparently.
      cache: "no-cache",
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK", "The Syncwatch server could not be reached");
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) throw new ApiError(res.status, parsed.data.code, parsed.data.message, parsed.data.details);
    throw new ApiError(res.status, "HTTP_" + res.status, res.statusText || `Request failed with status ${res.status}`);
  }
  if (opts.schema) {
    const parsed = opts.schema.safeParse(json);
    if (parsed.success) return parsed.data;
    // The contract drifted: keep the page working with the raw data, but say so in the console.
    console.warn(`[syncwatch] ${path}: response does not match the contract`, parsed.error.issues.slice(0, 5));
  }
  return json as T;
}
