/**
 * Failed authentication is counted, never a valid key refused. A presented key is always checked;
 * only when it is wrong do the counts decide between 401 and 429. Failures are counted per client
 * address (lib/http/client-address.ts: the socket's peer, or behind a trusted proxy the address it
 * reports) and per key prefix (the first characters of the presented key, so one key guessed from
 * many addresses is counted too). Nothing is counted in total: a global limit would let anyone
 * lock everyone out. Fixed windows per process (each instance counts on its own); the answers
 * carry the IETF draft's RateLimit and RateLimit-Policy fields, and Retry-After on 429.
 */
import { getConfig } from "@/lib/config";
import { keyPrefix } from "@/lib/auth/secrets";
import { SyncwatchError } from "@/lib/domain/errors";
import { clientAddress, clientBucket } from "./client-address";

const WINDOW_MS = 60_000;
export const FAILURES_PER_CLIENT = 10;
export const FAILURES_PER_KEY_PREFIX = 30;
const MAX_ENTRIES = 10_000;

interface Window {
  start: number;
  failures: number;
}
type Counts = Map<string, Window>;
const g = globalThis as unknown as { __syncwatchAuthFailures?: { clients: Counts; prefixes: Counts } };
const state = (g.__syncwatchAuthFailures ??= { clients: new Map(), prefixes: new Map() });

/** Who failed: the client's bucket and, for a presented key, its prefix. */
export interface Attempt {
  client: string;
  prefix: string | null;
}

/** The attempt a request makes with `secret` (an API key; null for a session cookie, which has no prefix). */
export function attemptOf(req: Request, secret: string | null): Attempt {
  return {
    client: clientBucket(clientAddress(req, getConfig().trustedProxies)),
    prefix: secret ? keyPrefix(secret.trim()) : null,
  };
}

interface Policy {
  name: string;
  quota: number;
  counts: Counts;
  key: (a: Attempt) => string | null;
}
const POLICIES: Policy[] = [
  { name: "failed-auth-client", quota: FAILURES_PER_CLIENT, counts: state.clients, key: (a) => a.client },
  { name: "failed-auth-key", quota: FAILURES_PER_KEY_PREFIX, counts: state.prefixes, key: (a) => a.prefix },
];
const POLICY_FIELD = POLICIES.map((p) => `"${p.name}";q=${p.quota};w=${WINDOW_MS / 1000}`).join(", ");

function windowOf(counts: Counts, key: string, now: number): Window {
  let w = counts.get(key);
  if (!w || now - w.start >= WINDOW_MS) {
    counts.delete(key);
    w = { start: now, failures: 0 };
  } else counts.delete(key); // re-inserted below: the map stays in least-recently-failed order
  counts.set(key, w);
  while (counts.size > MAX_ENTRIES) counts.delete(counts.keys().next().value as string);
  return w;
}

/**
 * Counts a failed attempt and returns the error to answer: 401 while the client and the key
 * prefix are within their quotas (the failure that spends a quota included), 429 with Retry-After
 * once either is spent. Both carry the RateLimit fields of the tighter policy.
 */
export function failedAttempt(
  attempt: Attempt,
  unauthorised: { message: string; headers?: Record<string, string> },
  now = Date.now(),
): SyncwatchError {
  const counted = POLICIES.flatMap((policy) => {
    const key = policy.key(attempt);
    if (key === null) return [];
    const w = windowOf(policy.counts, key, now);
    w.failures++;
    const reset = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    return [{ policy, remaining: Math.max(0, policy.quota - w.failures), spent: w.failures > policy.quota, reset }];
  });
  const spent = counted.filter((c) => c.spent).sort((a, b) => b.reset - a.reset)[0];
  const tightest = spent ?? [...counted].sort((a, b) => a.remaining - b.remaining)[0];
  const headers = {
    "RateLimit-Policy": POLICY_FIELD,
    RateLimit: `"${tightest.policy.name}";r=${tightest.remaining};t=${tightest.reset}`,
  };
  if (!spent)
    return new SyncwatchError("UNAUTHORISED", unauthorised.message, undefined, { ...unauthorised.headers, ...headers });
  const who = spent.policy.name === "failed-auth-key" ? "with this key prefix" : "from this client";
  return new SyncwatchError(
    "TOO_MANY_REQUESTS",
    `Too many failed authentication attempts ${who}; try again in ${spent.reset} s. A valid key is accepted meanwhile.`,
    { retryAfterSeconds: spent.reset },
    { ...headers, "Retry-After": String(spent.reset) },
  );
}

/** Forgets every count (tests). */
export function resetAttempts(): void {
  state.clients.clear();
  state.prefixes.clear();
}
