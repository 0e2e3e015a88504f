/**
 * The one retry policy of the dashboard's requests: TanStack Query's defaults
 * (components/shell/Providers.tsx) and the live hook's watch loop both ask `nextRetry`.
 *
 * A request that failed on the way or on the server's side (no answer, 500, 503 when the server
 * sheds load or the store is unreachable, a proxy's 5xx, or an error that is not an answer at all)
 * may pass if sent again; an answer that refuses the request (bad input, unauthorised, not found,
 * conflict, gone, too many attempts) will refuse it again, and so will a full store (507) for a
 * while: those are final. A new error code is final unless it is listed here.
 */
import { ApiError, type ApiErrorCode } from "./http";

/** Waits before the 1st, 2nd, ... retry; the last one repeats. */
export const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;
/** A server's Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Retries of a query before it shows its error (with a Retry button). */
export const QUERY_RETRIES = 2;

const TRANSIENT = new Set<ApiErrorCode>(["NETWORK", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE"]);

/** Whether sending the request again may succeed. */
export function isTransient(error: unknown): boolean {
  if (!ApiError.is(error)) return true;
  return TRANSIENT.has(error.code) || /^HTTP_5\d\d$/.test(error.code);
}

/**
 * How long to wait before sending a failed request again, in milliseconds; null when it must not
 * be sent again (a final answer, or `maxRetries` retries spent). `failures`: how many attempts
 * failed before this one (0 after the first failure).
 */
export function nextRetry(error: unknown, failures: number, maxRetries = Infinity): number | null {
  if (failures >= maxRetries || !isTransient(error)) return null;
  const backoff = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)];
  const asked = ApiError.is(error) ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(backoff, Math.min(asked, MAX_RETRY_AFTER_MS));
}
