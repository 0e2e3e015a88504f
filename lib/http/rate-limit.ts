/**
 * Failed authentication attempts are limited per client and in total: a key cannot be guessed by
 * one client, nor by many clients each staying under its own limit. Counted in fixed windows per
 * process (each instance limits on its own).
 */
import { TooManyRequestsError } from "@/lib/domain/errors";

const WINDOW_MS = 60_000;
const PER_CLIENT = 10;
const IN_TOTAL = 200;
const MAX_CLIENTS = 10_000;

interface Window {
  start: number;
  failures: number;
}
const g = globalThis as unknown as { __syncwatchAuthFailures?: { clients: Map<string, Window>; total: Window } };
const state = (g.__syncwatchAuthFailures ??= { clients: new Map(), total: { start: 0, failures: 0 } });

function current(w: Window, now: number): Window {
  if (now - w.start >= WINDOW_MS) {
    w.start = now;
    w.failures = 0;
  }
  return w;
}

/** The client as the request names it: the first X-Forwarded-For hop (the socket address, set by the server). */
export function clientOf(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

/** Throws 429 while the client (or everyone together) has failed too often in the current window. */
export function assertMayAttempt(client: string, now = Date.now()): void {
  const total = current(state.total, now);
  const mine = state.clients.get(client);
  const blockedUntil = (w: Window) => Math.ceil((w.start + WINDOW_MS - now) / 1000);
  if (mine && current(mine, now).failures >= PER_CLIENT)
    throw new TooManyRequestsError(
      "Too many failed sign-in attempts from this client; try again later.",
      blockedUntil(mine),
    );
  if (total.failures >= IN_TOTAL)
    throw new TooManyRequestsError("Too many failed sign-in attempts; try again later.", blockedUntil(total));
}

export function recordFailure(client: string, now = Date.now()): void {
  current(state.total, now).failures++;
  if (state.clients.size >= MAX_CLIENTS) state.clients.clear();
  const mine = state.clients.get(client) ?? { start: now, failures: 0 };
  current(mine, now).failures++;
  state.clients.set(client, mine);
}

/** Forgets every count (tests). */
export function resetAttempts(): void {
  state.clients.clear();
  state.total = { start: 0, failures: 0 };
}
