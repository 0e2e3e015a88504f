/**
 * The rules of webhook deliveries: when to try again, when to give up, and what an answer means.
 * Pure: the clock and the randomness are passed in.
 */

/** Each retry waits twice as long as the one before, from the first delay, up to this. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
/** ±20 % jitter, so deliveries that failed together do not retry together. */
export const RETRY_JITTER = 0.2;

/**
 * The delay before attempt `attempt + 1`, after `attempt` failed attempts (1, 2, ...):
 * first × 2^(attempt − 1), capped at MAX_RETRY_DELAY_MS, with jitter (`random` in [0, 1)).
 */
export function retryDelayMs(attempt: number, firstDelayMs: number, random = 0.5): number {
  const base = Math.min(MAX_RETRY_DELAY_MS, firstDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + RETRY_JITTER * (2 * random - 1)));
}

/** The next attempt after `attempts` failed ones, or null to give up (the delivery is then Failed). */
export function nextAttemptAt(
  attempts: number,
  opts: { now: number; firstDelayMs: number; maxAttempts: number; random?: number },
): Date | null {
  if (attempts >= opts.maxAttempts) return null;
  return new Date(opts.now + retryDelayMs(attempts, opts.firstDelayMs, opts.random));
}

/** A receiver took the delivery when it answered 2xx; anything else (3xx too: no redirect is followed) is retried. */
export const isDelivered = (status: number | null) => status !== null && status >= 200 && status < 300;
